"""Choosing an initiative to give cheques to, and the progress an initiative shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from buurtbegroting.cheques import rules
from buurtbegroting.cheques.services.common import FUNDED_STATUSES
from buurtbegroting.cheques.services.redeeming import idea_facts
from buurtbegroting.counting import count_per
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    Cheque,
    CodeStatus,
    Destination,
    Idea,
    IdeaStatus,
    PotEntry,
)


def collecting_ideas(
    *, q: str | None = None, area_id: int | None = None, own_area_ids: list[int] = ()
) -> list[Idea]:
    """Return the initiatives that accept cheques today; those in the own area first."""
    today = today_nl()
    query = (
        select(Idea)
        .where(
            Idea.status == IdeaStatus.ACCEPTED,
            Idea.destination == Destination.CHEQUES,
            Idea.target_cents.is_not(None),
            Idea.collected_cents < Idea.target_cents,
            Idea.target_date >= today,
        )
        .options(selectinload(Idea.area).selectinload(Area.parent))
    )
    if q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        query = query.where(
            or_(
                func.lower(Idea.title).like(like, escape="\\"),
                func.lower(Idea.summary).like(like, escape="\\"),
            )
        )
    if area_id:
        parent = select(Area.id).where(Area.parent_id == area_id)
        query = query.where(
            Idea.area_id.in_(
                select(Area.id).where(
                    or_(Area.id == area_id, Area.id.in_(parent), Area.parent_id.in_(parent))
                )
            )
        )
    ideas = list(db.session.scalars(query))
    own = set(own_area_ids)
    own_parents = (
        {
            a.parent_id
            for a in db.session.scalars(select(Area).where(Area.id.in_(own)))
            if a.parent_id
        }
        if own
        else set()
    )

    def rank(idea: Idea):
        if idea.area_id in own:
            closeness = 0
        elif idea.area_id in own_parents or idea.area.parent_id in own_parents:
            closeness = 1
        else:
            closeness = 2
        return (closeness, idea.title.lower(), idea.id)

    return sorted(ideas, key=rank)


def cheque_count(idea: Idea) -> int:
    """Return how many cheques the initiative received."""
    return (
        db.session.scalar(
            select(func.count(Cheque.id)).where(
                Cheque.idea_id == idea.id, Cheque.status == CodeStatus.USED
            )
        )
        or 0
    )


@dataclass
class Progress:
    """What the progress bar of a cheque initiative shows."""

    state: str
    collected_cents: int
    target_cents: int | None
    cheques: int
    days_left: int | None
    target_date: date | None
    extended: bool
    can_organise: bool = False
    pot_cents: int = 0

    @property
    def percent(self) -> int:
        """Return the share of the target collected, 0-100."""
        if not self.target_cents:
            return 0
        return min(100, round(100 * self.collected_cents / self.target_cents))


def progress(idea: Idea, user=None) -> Progress | None:
    """Return the progress of a cheque initiative, or None when the idea does not collect cheques."""
    return progress_of([idea], user).get(idea.id)


def progress_of(ideas: list[Idea], user=None) -> dict[int, Progress]:
    """Return the progress of each cheque initiative among ``ideas`` (two queries for any number)."""
    from buurtbegroting.permissions import can_organise_cheques

    collecting = [idea for idea in ideas if idea.destination == Destination.CHEQUES]
    if not collecting:
        return {}
    ids = [idea.id for idea in collecting]
    counts = count_per(Cheque.idea_id, Cheque.idea_id.in_(ids), Cheque.status == CodeStatus.USED)
    pots = dict(
        db.session.execute(
            select(PotEntry.idea_id, func.sum(PotEntry.amount_cents))
            .where(PotEntry.idea_id.in_(ids))
            .group_by(PotEntry.idea_id)
        ).all()
    )
    today = today_nl()
    found = {}
    for idea in collecting:
        if idea.status in FUNDED_STATUSES:
            state = "funded"
        elif idea.status == IdeaStatus.NOT_FUNDED:
            state = "not_reached"
        elif idea.status == IdeaStatus.ACCEPTED:
            state = rules.idea_problem(idea_facts(idea), today) or "collecting"
            state = {"date_passed": "closing", "not_collecting": "waiting"}.get(state, state)
        else:
            state = "setup"
        found[idea.id] = Progress(
            state=state,
            collected_cents=idea.collected_cents,
            target_cents=idea.target_cents,
            cheques=counts.get(idea.id, 0) if state != "setup" else 0,
            days_left=rules.days_left(idea.target_date, today),
            target_date=idea.target_date,
            extended=idea.target_date_extended,
            can_organise=can_organise_cheques(user, idea) if user is not None else False,
            pot_cents=(pots.get(idea.id) or 0) if state == "not_reached" else 0,
        )
    return found
