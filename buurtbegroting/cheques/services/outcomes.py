"""Outcomes: an initiative reaches its target, or its campaign or deadline ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.cheques import rules
from buurtbegroting.cheques.services.common import ChequeRefused
from buurtbegroting.cheques.services.redeeming import fund, idea_facts, record_outcome
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Cheque,
    ChequeCampaign,
    CodeStatus,
    Destination,
    Idea,
    IdeaStatus,
    PotEntry,
    User,
)


def extend_target_date(idea: Idea, actor: User, new_date: date) -> None:
    """Move the target date of a collecting initiative later, once."""
    if idea.target_date_extended:
        raise ChequeRefused([_l("The target date has already been extended once.")])
    if idea.status != IdeaStatus.ACCEPTED or idea.destination != Destination.CHEQUES:
        raise ChequeRefused([_l("This initiative is not collecting cheques.")])
    if idea.target_date is None or new_date <= idea.target_date or new_date <= today_nl():
        raise ChequeRefused([_l("Choose a date after the current target date and after today.")])
    before = idea.target_date
    idea.target_date = new_date
    idea.target_date_extended = True
    db.session.flush()
    audit.record(
        actor,
        "cheques.date_extended",
        idea,
        summary=idea.title,
        before={"target_date": before.isoformat()},
        after={"target_date": new_date.isoformat()},
    )


def initiatives_for(user: User) -> list[Idea]:
    """Return the accepted cheque initiatives in the user's areas, ending first first."""
    from buurtbegroting.permissions import managed_area_ids

    query = (
        select(Idea)
        .where(Idea.status == IdeaStatus.ACCEPTED, Idea.destination == Destination.CHEQUES)
        .order_by(Idea.target_date, Idea.id)
        .options(selectinload(Idea.area))
    )
    scope = managed_area_ids(user)
    if scope is not None:
        query = query.where(Idea.area_id.in_(scope or {-1}))
    return list(db.session.scalars(query))


def mark_not_reached(idea: Idea) -> int:
    """Close an initiative that did not reach its target: not funded, value back to the pot."""
    from buurtbegroting.ideas import services as idea_services

    per_campaign = db.session.execute(
        select(Cheque.campaign_id, func.count(Cheque.id), ChequeCampaign.value_cents)
        .join(ChequeCampaign)
        .where(Cheque.idea_id == idea.id, Cheque.status == CodeStatus.USED)
        .group_by(Cheque.campaign_id, ChequeCampaign.value_cents)
    ).all()
    idea_services.change_status(
        idea,
        IdeaStatus.NOT_FUNDED,
        None,
        str(_l("The target date has passed without reaching the target.")),
    )
    total = 0
    for campaign_id, count, value in per_campaign:
        db.session.add(
            PotEntry(
                campaign_id=campaign_id,
                idea_id=idea.id,
                amount_cents=count * value,
                reason="target not reached",
            )
        )
        total += count * value
    db.session.flush()
    record_outcome(idea, "cheques.not_reached", to_pot_cents=total)
    return total


@dataclass
class CloseSummary:
    """What close-expired did."""

    funded: list[int] = field(default_factory=list)
    not_reached: list[int] = field(default_factory=list)
    expired_cheques: int = 0
    to_pot_cents: int = 0


def close_expired(today: date | None = None) -> CloseSummary:
    """Apply the date rules: fund reached targets, close passed dates, expire unused cheques.

    Running it twice changes nothing the second time. Commits after each initiative,
    so one failure does not undo the others.
    """
    today = today or today_nl()
    summary = CloseSummary()
    ids = list(
        db.session.scalars(
            select(Idea.id).where(
                Idea.status == IdeaStatus.ACCEPTED, Idea.destination == Destination.CHEQUES
            )
        )
    )
    for idea_id in ids:
        idea = db.session.get(Idea, idea_id, with_for_update=True)
        decision = rules.outcome(idea_facts(idea), today) if idea else None
        if decision == "funded":
            fund(idea)
            summary.funded.append(idea.id)
        elif decision == "not_reached":
            summary.to_pot_cents += mark_not_reached(idea)
            summary.not_reached.append(idea.id)
        db.session.commit()
    ended = select(ChequeCampaign.id).where(ChequeCampaign.activation_ends_on < today)
    result = db.session.execute(
        update(Cheque)
        .where(Cheque.status == CodeStatus.ISSUED, Cheque.campaign_id.in_(ended))
        .values(status=CodeStatus.EXPIRED),
        execution_options={"synchronize_session": False},
    )
    summary.expired_cheques = result.rowcount
    if summary.expired_cheques:
        audit.record(
            None,
            "cheques.expired",
            object_type="cheques",
            summary=f"{summary.expired_cheques} cheques expired",
            after={"expired": summary.expired_cheques},
        )
    db.session.commit()
    return summary
