"""Rules of budget rounds: the phase of a round, and what a valid ballot is."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from buurtbegroting.domain import DomainError


class Phase(enum.StrEnum):
    """Where a round is, computed from its dates and flags (never stored)."""

    UPCOMING = "upcoming"
    SUBMISSION = "submission"
    REVIEW = "review"
    VOTING = "voting"
    #: Voting has ended; an administrator still has to close the round.
    COUNTING = "counting"
    CLOSED = "closed"
    PUBLISHED = "published"


def phase_at(
    now: datetime,
    *,
    submission_opens_at: datetime,
    review_opens_at: datetime,
    voting_opens_at: datetime,
    voting_closes_at: datetime,
    closed_at: datetime | None,
    published_at: datetime | None,
) -> Phase:
    """Return the phase of a round at ``now``."""
    if published_at is not None:
        return Phase.PUBLISHED
    if closed_at is not None:
        return Phase.CLOSED
    if now < submission_opens_at:
        return Phase.UPCOMING
    if now < review_opens_at:
        return Phase.SUBMISSION
    if now < voting_opens_at:
        return Phase.REVIEW
    if now < voting_closes_at:
        return Phase.VOTING
    return Phase.COUNTING


class InvalidDates(DomainError):
    """The phase dates are not in order."""


def check_dates(*dates: datetime) -> None:
    """Raise unless submission, review, voting start, voting end and results follow each other."""
    if any(later <= earlier for earlier, later in zip(dates, dates[1:], strict=False)):
        raise InvalidDates("dates out of order")


@dataclass(frozen=True)
class BallotRules:
    """What a ballot in one area must meet."""

    ballot_type: str  # "approval", "knapsack" or "cumulative"
    budget_cents: int
    min_choices: int = 1
    max_choices: int | None = None
    knapsack_min_percent: int = 0
    cumulative_points: int | None = None
    cumulative_max_per_idea: int | None = None


@dataclass
class BallotProblem(DomainError):
    """Why a ballot cannot be stored; ``code`` and ``params`` are translated by the app."""

    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        super().__init__(self.code)


def check_ballot(choices: dict[int, int], costs: dict[int, int], rules: BallotRules) -> None:
    """Raise BallotProblem unless ``choices`` (item id → points) is a valid ballot.

    ``costs`` maps every item on this area's ballot to its cost in cents.
    """
    unknown = [item for item in choices if item not in costs]
    if unknown:
        raise BallotProblem("unknown_item", {"items": unknown})
    if any(not isinstance(points, int) or points <= 0 for points in choices.values()):
        raise BallotProblem("bad_points")
    chosen = len(choices)
    if rules.ballot_type == "approval":
        if any(points != 1 for points in choices.values()):
            raise BallotProblem("bad_points")
        if chosen < rules.min_choices:
            raise BallotProblem("too_few", {"minimum": rules.min_choices, "chosen": chosen})
        if rules.max_choices is not None and chosen > rules.max_choices:
            raise BallotProblem("too_many", {"maximum": rules.max_choices, "chosen": chosen})
    elif rules.ballot_type == "knapsack":
        if any(points != 1 for points in choices.values()):
            raise BallotProblem("bad_points")
        if chosen < max(1, rules.min_choices):
            raise BallotProblem("too_few", {"minimum": max(1, rules.min_choices), "chosen": chosen})
        total = sum(costs[item] for item in choices)
        if total > rules.budget_cents:
            raise BallotProblem(
                "over_budget",
                {"total": total, "budget": rules.budget_cents, "over": total - rules.budget_cents},
            )
        needed = -(-rules.budget_cents * rules.knapsack_min_percent // 100)
        if total < needed:
            raise BallotProblem(
                "under_minimum",
                {"total": total, "needed": needed, "percent": rules.knapsack_min_percent},
            )
    elif rules.ballot_type == "cumulative":
        total = sum(choices.values())
        if total == 0:
            raise BallotProblem("too_few", {"minimum": 1, "chosen": 0})
        if rules.cumulative_points is not None and total > rules.cumulative_points:
            raise BallotProblem(
                "too_many_points", {"maximum": rules.cumulative_points, "given": total}
            )
        if rules.cumulative_max_per_idea is not None:
            over = [
                item for item, points in choices.items() if points > rules.cumulative_max_per_idea
            ]
            if over:
                raise BallotProblem("too_many_on_one", {"maximum": rules.cumulative_max_per_idea})
    else:
        raise BallotProblem("unknown_type")


def threshold_votes(percent: int | None, voters: int) -> int | None:
    """Return the score an idea needs for a threshold of ``percent`` of the voters (rounded up)."""
    if not percent:
        return None
    return -(-percent * voters // 100)
