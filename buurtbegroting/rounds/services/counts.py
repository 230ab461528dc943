"""Counts of ballots and voters per area, for the pages and the closing."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from buurtbegroting.counting import count_per
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Ballot,
    BallotChoice,
    BallotItem,
    BudgetRound,
    Idea,
    RoundArea,
    SealedBallot,
    utcnow,
)
from buurtbegroting.rounds import sealing


def ballot_counts(round_area_ids: list[int]) -> dict[int, int]:
    """Return the number of ballots per area of a round: sealed ones during voting, then plain."""
    counts: Counter[int] = Counter()
    for model in (Ballot, SealedBallot):
        counts.update(count_per(model.round_area_id, model.round_area_id.in_(round_area_ids)))
    return dict(counts)


#: Live counts per area: (when counted, number of envelopes, points per item).
_live_cache: dict[int, tuple[float, int, dict[int, int]]] = {}


def live_scores(round_area: RoundArea) -> dict[int, int]:
    """Return the points per ballot item so far (only for rounds that show live results).

    During voting the ballots are sealed: the count opens the envelopes in memory and keeps
    only the totals, for LIVE_RESULTS_SECONDS, so that the page cannot be refreshed to see
    what one new ballot added. Nothing of it is written to the database.
    """
    if db.session.scalar(
        select(func.count(Ballot.id)).where(Ballot.round_area_id == round_area.id)
    ):
        rows = db.session.execute(
            select(BallotChoice.ballot_item_id, func.sum(BallotChoice.points))
            .join(BallotItem)
            .where(BallotItem.round_area_id == round_area.id)
            .group_by(BallotChoice.ballot_item_id)
        ).all()
        return {item_id: int(total) for item_id, total in rows}
    cached = _live_cache.get(round_area.id)
    now = time.monotonic()
    if cached is not None and now - cached[0] < current_app.config["LIVE_RESULTS_SECONDS"]:
        return cached[2]
    envelopes = db.session.scalars(
        select(SealedBallot.envelope).where(SealedBallot.round_area_id == round_area.id)
    ).all()
    totals: Counter[int] = Counter()
    if envelopes:
        round_ = round_area.round
        open_envelope = sealing.opener(round_.id, round_.ballot_public_key)
        for envelope in envelopes:
            totals.update(open_envelope(envelope).choices)
    scores = dict(totals)
    _live_cache[round_area.id] = (now, len(envelopes), scores)
    return scores


@dataclass
class AreaChoice:
    """An area of a round where someone may vote, for the voting start page."""

    round_area: RoundArea
    voted: bool


def areas_of(round_ids: list[int]) -> list[RoundArea]:
    """Return the round areas of the given rounds, areas loaded."""
    return list(
        db.session.scalars(
            select(RoundArea)
            .where(RoundArea.round_id.in_(round_ids))
            .options(selectinload(RoundArea.area))
        )
    )


def open_rounds() -> list[BudgetRound]:
    """Return the rounds in which voting is open now."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(BudgetRound)
            .where(
                BudgetRound.voting_opens_at <= now,
                BudgetRound.voting_closes_at > now,
                BudgetRound.closed_at.is_(None),
            )
            .options(selectinload(BudgetRound.areas).selectinload(RoundArea.area))
            .order_by(BudgetRound.voting_closes_at)
        )
    )


def area_for_voting(round_area_id: int) -> RoundArea | None:
    """Return a round area with its round and area in one query: enough to vote."""
    return db.session.scalar(
        select(RoundArea)
        .where(RoundArea.id == round_area_id)
        .options(joinedload(RoundArea.round), joinedload(RoundArea.area))
    )


#: The id and cost of every item on an area's ballot.
ITEM_COSTS = select(BallotItem.id, BallotItem.cost_cents).where(
    BallotItem.round_area_id == bindparam("round_area_id")
)


def item_costs(round_area: RoundArea) -> dict[int, int]:
    """Return {ballot item id: cost in cents} of an area's ballot (one light query)."""
    rows = db.session.execute(ITEM_COSTS, {"round_area_id": round_area.id})
    return {row.id: row.cost_cents for row in rows}


def area_by_id(round_area_id: int) -> RoundArea | None:
    """Return a round area with its round, area and ballot items loaded."""
    return db.session.scalar(
        select(RoundArea)
        .where(RoundArea.id == round_area_id)
        .options(
            selectinload(RoundArea.round),
            selectinload(RoundArea.area),
            selectinload(RoundArea.items).selectinload(BallotItem.idea).selectinload(Idea.photos),
        )
    )
