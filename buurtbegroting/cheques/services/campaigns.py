"""Campaigns and their codes: create, issue, void, count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.cheques.export import NewCheque
from buurtbegroting.cheques.services.common import CHEQUE_PURPOSE, INSERT_CHUNK, ChequeRefused
from buurtbegroting.counting import count_per, count_per_kind
from buurtbegroting.domain.codes import code_hash, format_code, generate_code
from buurtbegroting.extensions import db
from buurtbegroting.keys import code_hash_key
from buurtbegroting.models import (
    Area,
    AreaLevel,
    CampaignAddressCount,
    Cheque,
    ChequeCampaign,
    CodeStatus,
    User,
)


def campaigns() -> list[ChequeCampaign]:
    """Return every campaign, newest first."""
    return list(db.session.scalars(select(ChequeCampaign).order_by(ChequeCampaign.id.desc())))


def scope_choices() -> list[Area]:
    """Return the districts and neighbourhoods a campaign can be limited to, in code order."""
    return list(
        db.session.scalars(
            select(Area).where(Area.level != AreaLevel.MUNICIPALITY).order_by(Area.code)
        )
    )


def _in_scope(area: Area, scope: list[Area]) -> bool:
    chain = {area.id} | {a.id for a in area.ancestors()}
    return any(s.id in chain for s in scope)


def create_campaign(
    actor: User,
    *,
    name: str,
    value_cents: int,
    starts_on: date,
    ends_on: date,
    area_ids: list[int],
    cheque_count: int | None,
    address_counts: dict[str, int] | None,
) -> ChequeCampaign:
    """Create a campaign: its scope, and a number of cheques or one per address per neighbourhood."""
    problems = []
    if ends_on < starts_on:
        problems.append(_l("The last day comes before the first day."))
    scope = [db.session.get(Area, i) for i in area_ids]
    if any(a is None for a in scope):
        problems.append(_l("Choose areas from the list."))
        scope = []
    counts: list[tuple[Area, int]] = []
    if address_counts:
        areas = {
            a.code: a
            for a in db.session.scalars(select(Area).where(Area.code.in_(list(address_counts))))
        }
        unknown = sorted(c for c in address_counts if c not in areas)
        if unknown:
            problems.append(
                _l("These neighbourhoods are unknown: %(codes)s.", codes=", ".join(unknown[:10]))
            )
        outside = sorted(c for c, a in areas.items() if scope and not _in_scope(a, scope))
        if outside:
            problems.append(
                _l(
                    "These neighbourhoods are outside the chosen areas: %(codes)s.",
                    codes=", ".join(outside[:10]),
                )
            )
        counts = [(areas[c], n) for c, n in sorted(address_counts.items()) if c in areas]
        cheque_count = sum(n for _, n in counts)
    if not cheque_count or cheque_count < 1:
        problems.append(_l("Give the number of cheques, or upload the number of addresses."))
    if problems:
        raise ChequeRefused(problems)
    campaign = ChequeCampaign(
        name=name,
        value_cents=value_cents,
        activation_starts_on=starts_on,
        activation_ends_on=ends_on,
        whole_municipality=not scope,
        cheque_count=cheque_count,
        created_by_id=actor.id if actor else None,
    )
    campaign.areas = scope
    db.session.add(campaign)
    db.session.flush()
    for area, n in counts:
        db.session.add(CampaignAddressCount(campaign_id=campaign.id, area_id=area.id, addresses=n))
    db.session.flush()
    audit.record(
        actor,
        "cheques.campaign_created",
        campaign,
        summary=campaign.name,
        after={
            "value_cents": value_cents,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "areas": [a.code for a in scope],
            "cheque_count": cheque_count,
            "per_address": bool(counts),
        },
    )
    return campaign


def status_counts(campaign: ChequeCampaign) -> dict[str, int]:
    """Return how many cheques of the campaign are issued, used, void and expired."""
    return status_counts_of([campaign.id])[campaign.id]


def status_counts_of(campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """Return the cheque counts per status of each campaign (one query for any number)."""
    found = count_per_kind(Cheque.campaign_id, Cheque.status, campaign_ids)
    return {
        cid: {s.value: per_status.get(s, 0) for s in CodeStatus}
        for cid, per_status in found.items()
    }


def address_counts(campaign: ChequeCampaign) -> list[CampaignAddressCount]:
    """Return the campaign's numbers of addresses per neighbourhood."""
    return list(
        db.session.scalars(
            select(CampaignAddressCount)
            .where(CampaignAddressCount.campaign_id == campaign.id)
            .options(selectinload(CampaignAddressCount.area))
        )
    )


def open_slots(campaign: ChequeCampaign) -> list[tuple[Area | None, int]]:
    """Return (neighbourhood or None, number) of cheques still to generate.

    Every cheque that is not void fills a slot, so after voiding lost cheques the same
    number can be issued again.
    """
    taken = count_per(
        Cheque.area_id, Cheque.campaign_id == campaign.id, Cheque.status != CodeStatus.VOID
    )
    counts = address_counts(campaign)
    if counts:
        slots = [(c.area, c.addresses - taken.get(c.area_id, 0)) for c in counts]
    else:
        slots = [(None, campaign.cheque_count - sum(taken.values()))]
    return [(area, n) for area, n in slots if n > 0]


def _first(slots: list[tuple[Area | None, int]], limit: int) -> list[tuple[Area | None, int]]:
    """Return the first ``limit`` cheques of the open slots, in the same order."""
    taken = []
    for area, n in slots:
        if limit <= 0:
            break
        taken.append((area, min(n, limit)))
        limit -= n
    return taken


def generate_cheques(
    campaign: ChequeCampaign,
    actor: User | None,
    url_for_code: Callable[[str], str],
    progress: Callable[[int], None] | None = None,
    limit: int | None = None,
) -> list[NewCheque]:
    """Generate the campaign's open cheques: store keyed hashes, return the plain codes once.

    ``limit`` makes at most that many (the job queue makes a large campaign in steps).

    Flushes only: the caller writes the export and commits; if writing fails it rolls
    back, so no code exists without its file. Codes that happen to repeat (60 random
    bits: practically never) are drawn again; the unique hash column guards the rest.
    """
    slots = open_slots(campaign)
    if not slots:
        raise ChequeRefused(
            [
                _l(
                    "Every cheque of this campaign has been made. Void lost cheques to make them again."
                )
            ]
        )
    key = code_hash_key()
    start = (
        db.session.scalar(select(func.count(Cheque.id)).where(Cheque.campaign_id == campaign.id))
        or 0
    )
    made: list[NewCheque] = []
    rows: list[dict] = []
    seen: set[str] = set()

    def flush_rows():
        if rows:
            db.session.execute(insert(Cheque), rows)
            if progress:
                progress(len(rows))
            rows.clear()

    if limit is not None:
        slots = _first(slots, limit)
    for area, n in slots:
        for _ in range(n):
            code = generate_code()
            hashed = code_hash(code, key, CHEQUE_PURPOSE)
            while hashed in seen:
                code = generate_code()
                hashed = code_hash(code, key, CHEQUE_PURPOSE)
            seen.add(hashed)
            rows.append(
                {
                    "campaign_id": campaign.id,
                    "area_id": area.id if area else None,
                    "code_hash": hashed,
                    "status": CodeStatus.ISSUED,
                }
            )
            made.append(
                NewCheque(
                    number=start + len(made) + 1,
                    code=code,
                    area_code=area.code if area else "",
                    area_name=area.name if area else "",
                    url=url_for_code(format_code(code)),
                )
            )
            if len(rows) >= INSERT_CHUNK:
                flush_rows()
    flush_rows()
    audit.record(
        actor,
        "cheques.codes_generated",
        campaign,
        summary=campaign.name,
        after={"generated": len(made)},
    )
    return made


def void_unused(campaign: ChequeCampaign, actor: User, reason: str) -> int:
    """Make every unused cheque of the campaign void (lost files); return how many."""
    result = db.session.execute(
        update(Cheque)
        .where(Cheque.campaign_id == campaign.id, Cheque.status == CodeStatus.ISSUED)
        .values(status=CodeStatus.VOID),
        execution_options={"synchronize_session": False},
    )
    audit.record(
        actor,
        "cheques.voided",
        campaign,
        summary=campaign.name,
        after={"voided": result.rowcount, "reason": reason},
    )
    return result.rowcount
