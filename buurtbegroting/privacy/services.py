"""Retention: remove or archive what the platform no longer needs to keep.

Each step takes the moment to count from and returns how many rows it touched; it
flushes and leaves the commit to the caller (``flask privacy retention``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from buurtbegroting.cheques.services.common import AUTHOR_MARK
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    AuditEntry,
    BudgetRound,
    CoOrganiser,
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    MailStatus,
    NetworkSignal,
    OutboxMessage,
)

#: While an idea is in one of these, its co-organisers may still be needed.
UNDECIDED = (
    IdeaStatus.DRAFT,
    IdeaStatus.SUBMITTED,
    IdeaStatus.IN_REVIEW,
    IdeaStatus.CHANGES_REQUESTED,
    IdeaStatus.ACCEPTED,
)

#: Audit entries are deleted from the database in groups of this many.
CHUNK = 500


class ArchiveRefused(Exception):
    """The audit archive cannot be written; nothing has been deleted."""


@dataclass
class AuditArchive:
    """What the audit step did: how many entries, and the file that now holds them."""

    count: int = 0
    path: Path | None = None


def years_before(moment: datetime, years: int) -> datetime:
    """Return the same moment ``years`` calendar years earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def delete_old_outbox(now: datetime) -> int:
    """Delete outbox messages older than OUTBOX_RETENTION_DAYS, delivered or failed.

    A message still waiting for the worker stays until it is delivered or given up.
    """
    cutoff = now - timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.created_at < cutoff, OutboxMessage.status != MailStatus.QUEUED
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount


def delete_network_signals(now: datetime) -> int:
    """Delete the network-prefix counts of closed rounds, and any older than the period.

    Closing a round deletes its counts already; this is the back-stop for counts written
    afterwards or left by an interrupted closing, and for rounds that stay open long.
    """
    oldest: date = today_nl(now) - timedelta(
        days=current_app.config["NETWORK_SIGNAL_RETENTION_DAYS"]
    )
    closed = select(BudgetRound.id).where(BudgetRound.closed_at.is_not(None))
    result = db.session.execute(
        delete(NetworkSignal).where(
            or_(NetworkSignal.round_id.in_(closed), NetworkSignal.day < oldest)
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount


def erase_organiser_contacts(now: datetime) -> tuple[int, int]:
    """Remove the contact data of co-organisers once their initiative has been decided.

    After COORGANISER_RETENTION_DAYS from the idea's last status change, confirmed
    co-organisers keep only their name and the date they confirmed (the public record of
    who organised); their e-mail address, address hash and token hash go. Invitations
    never confirmed are deleted. Return (erased, deleted).
    """
    cutoff = now - timedelta(days=current_app.config["COORGANISER_RETENTION_DAYS"])
    last_change = (
        select(func.max(IdeaStatusChange.created_at))
        .where(IdeaStatusChange.idea_id == Idea.id)
        .scalar_subquery()
    )
    decided = select(Idea.id).where(
        Idea.status.not_in(UNDECIDED), func.coalesce(last_change, Idea.updated_at) < cutoff
    )
    is_author_row = CoOrganiser.token_hash.startswith(AUTHOR_MARK)
    deleted = db.session.execute(
        delete(CoOrganiser).where(
            CoOrganiser.idea_id.in_(decided),
            CoOrganiser.confirmed_at.is_(None),
            or_(CoOrganiser.token_hash.is_(None), ~is_author_row),
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    # The author's own row holds only a marker and the address hash.
    erased = db.session.execute(
        update(CoOrganiser)
        .where(
            CoOrganiser.idea_id.in_(decided),
            is_author_row,
            CoOrganiser.address_hash.is_not(None),
        )
        .values(address_hash=None),
        execution_options={"synchronize_session": False},
    ).rowcount
    erased += db.session.execute(
        update(CoOrganiser)
        .where(
            CoOrganiser.idea_id.in_(decided),
            or_(CoOrganiser.token_hash.is_(None), ~is_author_row),
            or_(
                CoOrganiser.email.is_not(None),
                CoOrganiser.token_hash.is_not(None),
                CoOrganiser.address_hash.is_not(None),
            ),
        )
        .values(email=None, token_hash=None, address_hash=None),
        execution_options={"synchronize_session": False},
    ).rowcount
    return erased, deleted


def _line(entry: AuditEntry) -> str:
    return json.dumps(
        {
            "id": entry.id,
            "created_at": entry.created_at.isoformat(),
            "actor_id": entry.actor_id,
            "actor_label": entry.actor_label,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "summary": entry.summary,
            "before": entry.before,
            "after": entry.after,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def count_old_audit_entries(now: datetime) -> int:
    """Count the audit entries older than AUDIT_RETENTION_YEARS."""
    cutoff = years_before(now, current_app.config["AUDIT_RETENTION_YEARS"])
    return db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.created_at < cutoff)
    )


def archive_audit_entries(
    now: datetime, progress: Callable[[int], None] | None = None
) -> AuditArchive:
    """Write audit entries older than AUDIT_RETENTION_YEARS to a new JSON-lines file, then delete them.

    The file is complete and on disk before any entry is deleted. If the caller's commit
    fails, it must remove ``path`` (the entries are still in the database). A file that
    exists already is never overwritten.
    """
    cutoff = years_before(now, current_app.config["AUDIT_RETENTION_YEARS"])
    old = (
        select(AuditEntry)
        .where(AuditEntry.created_at < cutoff)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    if not db.session.scalar(select(func.count()).select_from(old.subquery())):
        return AuditArchive()
    folder = Path(current_app.config["AUDIT_ARCHIVE_FOLDER"])
    path = folder / f"audit-before-{cutoff:%Y-%m-%d}-archived-{now:%Y%m%dT%H%M%S}.jsonl"
    part = path.with_name(path.name + ".part")
    ids: list[int] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.exists():
            raise FileExistsError(path)
        with open(part, "x", encoding="utf-8") as fh:
            for entry in db.session.scalars(old.execution_options(yield_per=CHUNK)):
                fh.write(_line(entry) + "\n")
                ids.append(entry.id)
                if progress:
                    progress(1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, path)
    except OSError as error:
        if part.is_file():
            part.unlink()
        raise ArchiveRefused(f"the audit archive cannot be written to {folder}: {error}") from None
    try:
        for start in range(0, len(ids), CHUNK):
            db.session.execute(
                delete(AuditEntry).where(AuditEntry.id.in_(ids[start : start + CHUNK])),
                execution_options={"synchronize_session": False},
            )
        db.session.flush()
    except BaseException:
        path.unlink(missing_ok=True)  # the entries stay in the database
        raise
    return AuditArchive(count=len(ids), path=path)
