"""The audit log and its filters."""

from __future__ import annotations

from sqlalchemy import select

from buurtbegroting.extensions import db
from buurtbegroting.models import (
    AuditEntry,
)


def audit_query(action: str = "", actor: str = ""):
    """Return a select of audit entries, newest first, optionally of one action or actor."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor_label == actor)
    return query


def audit_filter_values() -> tuple[list[str], list[str]]:
    """Return the actions and the actors that occur in the audit log."""
    actions = db.session.scalars(
        select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    actors = db.session.scalars(
        select(AuditEntry.actor_label).distinct().order_by(AuditEntry.actor_label)
    ).all()
    return list(actions), list(actors)
