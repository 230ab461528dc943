"""A round's phase, its ballot rules and the sentences for ballot problems."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from buurtbegroting.domain import ActionRefused
from buurtbegroting.domain.codes import InvalidCode, code_hash
from buurtbegroting.domain.rounds import BallotProblem, BallotRules, Phase, phase_at
from buurtbegroting.keys import code_hash_key
from buurtbegroting.models import (
    BallotType,
    BudgetRound,
    RoundArea,
)
from buurtbegroting.templating import format_cents


class VoteRefused(ActionRefused):
    """The vote (or set-up change) cannot go ahead; ``messages`` are translated."""


def voting_code_hash(code: str) -> str:
    """Return the stored form of a normalised voting code."""
    return code_hash(code, code_hash_key(), "vote")


def phase(round_: BudgetRound, now: datetime | None = None) -> Phase:
    """Return the phase the round is in now.

    :param round_: a round, or anything with its phase dates (``quick_cast``'s facts row).
    """
    return phase_at(
        now or datetime.now(UTC),
        submission_opens_at=round_.submission_opens_at,
        review_opens_at=round_.review_opens_at,
        voting_opens_at=round_.voting_opens_at,
        voting_closes_at=round_.voting_closes_at,
        closed_at=round_.closed_at,
        published_at=round_.published_at,
    )


def is_locked(round_: BudgetRound) -> bool:
    """Tell whether ballot type, rule, budgets and ballot items can no longer change (voting started)."""
    return phase(round_) in (Phase.VOTING, Phase.COUNTING, Phase.CLOSED, Phase.PUBLISHED)


def ballot_rules(round_area: RoundArea) -> BallotRules:
    """Return the ballot rules of an area of a round."""
    return rules_of(round_area.round, round_area.budget_cents)


def rules_of(round_, budget_cents: int) -> BallotRules:
    """Return the ballot rules of a round (or ``quick_cast``'s facts row) for an area's budget."""
    return BallotRules(
        ballot_type=BallotType(round_.ballot_type).value,
        budget_cents=budget_cents,
        min_choices=round_.min_choices or 0,
        max_choices=round_.max_choices,
        knapsack_min_percent=round_.knapsack_min_percent or 0,
        cumulative_points=round_.cumulative_points,
        cumulative_max_per_idea=round_.cumulative_max_per_idea,
    )


def code_problem_message(error: InvalidCode):
    """Translate why a typed voting code cannot be read into a sentence for the voter."""
    if error.reason == "check":
        return _l("This code has a typing error. Check every character.")
    return _l("A voting code has 13 letters and digits, like ABCD-EFGH-JKMNP.")


def ballot_problem_message(problem: BallotProblem):
    """Translate a ballot problem into a sentence for the voter."""
    p = problem.params
    messages = {
        "unknown_item": lambda: _l("Your ballot names an idea that is not on this ballot."),
        "bad_points": lambda: _l("Points must be whole numbers above zero."),
        "too_few": lambda: _l(
            "Choose at least %(num)d ideas. You chose %(chosen)d.",
            num=p["minimum"],
            chosen=p["chosen"],
        ),
        "too_many": lambda: _l(
            "Choose at most %(num)d ideas. You chose %(chosen)d.",
            num=p["maximum"],
            chosen=p["chosen"],
        ),
        "over_budget": lambda: _l(
            "Your choice costs %(total)s, which is %(over)s more than the budget of %(budget)s. Remove an idea.",
            total=format_cents(p["total"]),
            over=format_cents(p["over"]),
            budget=format_cents(p["budget"]),
        ),
        "under_minimum": lambda: _l(
            "Spend at least %(percent)d%% of the budget (%(needed)s). Your choice costs %(total)s.",
            percent=p["percent"],
            needed=format_cents(p["needed"]),
            total=format_cents(p["total"]),
        ),
        "too_many_points": lambda: _l(
            "You may give %(num)d points in total. You gave %(given)d.",
            num=p["maximum"],
            given=p["given"],
        ),
        "too_many_on_one": lambda: _l(
            "You may give at most %(num)d points to one idea.", num=p["maximum"]
        ),
        "unknown_type": lambda: _l("This ballot cannot be filled in."),
    }
    return messages[problem.code]()
