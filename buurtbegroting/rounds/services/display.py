"""What the ballot needs on every request, kept briefly in each process while it is locked.

Once voting has started, the ideas on a ballot, their costs and the ballot's rules can no
longer change (``phases.is_locked``), yet every ballot page and every cast ballot read
them again. Each web process keeps them for BALLOT_CACHE_SECONDS as plain data (never ORM
objects, never anything about a voter). Outside the voting phase nothing is kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from buurtbegroting.domain.rounds import Phase
from buurtbegroting.extensions import db
from buurtbegroting.models import BallotItem, Idea, RoundArea
from buurtbegroting.rounds.services.counts import item_costs
from buurtbegroting.rounds.services.phases import phase

#: How long a process keeps a locked ballot's ideas and costs.
BALLOT_CACHE_SECONDS = 60

_cache: dict[tuple, tuple[float, object]] = {}


@dataclass(frozen=True)
class PhotoCard:
    """The first photo of an idea, as the ballot shows it."""

    id: int
    width: int
    height: int


@dataclass(frozen=True)
class IdeaCard:
    """An idea as the ballot shows it."""

    id: int
    title: str
    summary: str
    photos: tuple[PhotoCard, ...]


@dataclass(frozen=True)
class ItemCard:
    """One line of the ballot: the item, its cost and its idea."""

    id: int
    cost_cents: int
    idea: IdeaCard


def kept(kind: str, round_area: RoundArea, load):
    """Return ``load()``, kept for a while when the round is in its voting phase."""
    in_voting = phase(round_area.round) == Phase.VOTING
    return kept_for(kind, round_area.id, round_area.round.created_at, in_voting, load)


def kept_for(kind: str, round_area_id: int, round_created_at, in_voting: bool, load):
    """Return ``load()`` for an area, kept for a while when ``in_voting`` (its round votes now)."""
    if not in_voting:
        return load()
    # The round's creation time tells a round apart from an earlier one with the same id.
    key, now = (kind, round_area_id, round_created_at), time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < BALLOT_CACHE_SECONDS:
        return hit[1]
    value = load()
    _cache[key] = (now, value)
    return value


def _load_cards(round_area_id: int) -> tuple[ItemCard, ...]:
    items = db.session.scalars(
        select(BallotItem)
        .where(BallotItem.round_area_id == round_area_id)
        .order_by(BallotItem.position, BallotItem.id)
        .options(selectinload(BallotItem.idea).selectinload(Idea.photos))
    ).all()
    return tuple(
        ItemCard(
            id=item.id,
            cost_cents=item.cost_cents,
            idea=IdeaCard(
                id=item.idea.id,
                title=item.idea.title,
                summary=item.idea.summary,
                photos=tuple(PhotoCard(p.id, p.width, p.height) for p in item.idea.photos[:1]),
            ),
        )
        for item in items
    )


def ballot_cards(round_area: RoundArea) -> tuple[ItemCard, ...]:
    """Return the ideas on the area's ballot, in ballot order, as plain data."""
    return kept("cards", round_area, lambda: _load_cards(round_area.id))


def ballot_costs(round_area: RoundArea) -> dict[int, int]:
    """Return {ballot item id: cost in cents} of the area's ballot (kept while locked)."""
    return kept("costs", round_area, lambda: item_costs(round_area))
