"""Setting a round up: its areas and the ideas on each area's ballot."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    BallotItem,
    Destination,
    Idea,
    IdeaStatus,
    RoundArea,
    User,
)
from buurtbegroting.permissions import area_contains
from buurtbegroting.rounds.services.phases import VoteRefused, is_locked


def candidate_ideas(round_area: RoundArea) -> list[Idea]:
    """Return the ideas accepted for a vote in the area (or below it) that are not on a ballot yet."""
    taken = select(BallotItem.idea_id)
    ideas = db.session.scalars(
        select(Idea)
        .where(
            Idea.status == IdeaStatus.ACCEPTED,
            Idea.destination == Destination.BUDGET_ROUND,
            Idea.id.not_in(taken),
        )
        .options(selectinload(Idea.area), selectinload(Idea.cost_lines))
        .order_by(Idea.title)
    ).all()
    return [idea for idea in ideas if area_contains(round_area.area, idea.area)]


def add_ballot_item(round_area: RoundArea, idea: Idea, actor: User) -> BallotItem:
    """Put an accepted idea on the area's ballot with its final cost (before voting starts)."""
    if is_locked(round_area.round):
        raise VoteRefused([_l("Voting has started: the ballot can no longer change.")])
    if idea.status != IdeaStatus.ACCEPTED or idea.destination != Destination.BUDGET_ROUND:
        raise VoteRefused([_l("Only ideas accepted for a vote can be put on a ballot.")])
    if not area_contains(round_area.area, idea.area):
        raise VoteRefused([_l("This idea belongs to another area.")])
    if db.session.scalar(select(BallotItem.id).where(BallotItem.idea_id == idea.id)) is not None:
        raise VoteRefused([_l("This idea is already on a ballot.")])
    position = len(round_area.items)
    item = BallotItem(
        round_area=round_area, idea=idea, cost_cents=idea.cost_cents, position=position
    )
    db.session.add(item)
    db.session.flush()
    audit.record(
        actor,
        "round.ballot_item_added",
        round_area.round,
        summary=idea.title,
        after={"idea_id": idea.id, "cost_cents": item.cost_cents, "area": round_area.area.code},
    )
    return item


def remove_ballot_item(item: BallotItem, actor: User) -> None:
    """Take an idea off the ballot (before voting starts)."""
    round_area = item.round_area
    if is_locked(round_area.round):
        raise VoteRefused([_l("Voting has started: the ballot can no longer change.")])
    audit.record(
        actor,
        "round.ballot_item_removed",
        round_area.round,
        summary=item.idea.title,
        before={"idea_id": item.idea_id, "cost_cents": item.cost_cents},
    )
    db.session.delete(item)
    db.session.flush()
