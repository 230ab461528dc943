"""A round's phase follows from its dates and flags; a ballot is checked against its area's rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from buurtbegroting.domain.rounds import BallotProblem, BallotRules, Phase, check_ballot, phase_at

T0 = datetime(2027, 3, 1, 9, tzinfo=UTC)
DATES = {
    "submission_opens_at": T0,
    "review_opens_at": T0 + timedelta(days=30),
    "voting_opens_at": T0 + timedelta(days=60),
    "voting_closes_at": T0 + timedelta(days=74),
}


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (T0 - timedelta(seconds=1), Phase.UPCOMING),
        (T0, Phase.SUBMISSION),
        (T0 + timedelta(days=30) - timedelta(seconds=1), Phase.SUBMISSION),
        (T0 + timedelta(days=30), Phase.REVIEW),
        (T0 + timedelta(days=60), Phase.VOTING),
        (T0 + timedelta(days=74) - timedelta(seconds=1), Phase.VOTING),
        (T0 + timedelta(days=74), Phase.COUNTING),
        (T0 + timedelta(days=400), Phase.COUNTING),
    ],
)
def test_phase_follows_the_dates_each_boundary_belonging_to_the_later_phase(now, phase):
    assert phase_at(now, closed_at=None, published_at=None, **DATES) == phase


def test_closing_and_publishing_decide_the_phase_whatever_the_date():
    early = T0 - timedelta(days=1)
    assert phase_at(early, closed_at=T0, published_at=None, **DATES) == Phase.CLOSED
    assert phase_at(early, closed_at=T0, published_at=T0, **DATES) == Phase.PUBLISHED
    assert phase_at(early, closed_at=None, published_at=T0, **DATES) == Phase.PUBLISHED


COSTS = {1: 40_000, 2: 35_000, 3: 30_000}


def _problem(choices, rules):
    with pytest.raises(BallotProblem) as caught:
        check_ballot(choices, COSTS, rules)
    return caught.value.code, caught.value.params


def test_a_valid_ballot_of_every_type_passes():
    check_ballot({1: 1, 2: 1}, COSTS, BallotRules("approval", 100_000, max_choices=2))
    check_ballot({1: 1, 3: 1}, COSTS, BallotRules("knapsack", 70_000, knapsack_min_percent=50))
    check_ballot({1: 3, 2: 2}, COSTS, BallotRules("cumulative", 0, cumulative_points=5))


@pytest.mark.parametrize(
    ("choices", "rules", "code", "params"),
    [
        ({9: 1}, BallotRules("approval", 1), "unknown_item", {"items": [9]}),
        ({1: 0}, BallotRules("approval", 1), "bad_points", {}),
        ({1: -1}, BallotRules("cumulative", 1), "bad_points", {}),
        ({1: 2}, BallotRules("approval", 1), "bad_points", {}),
        ({1: 1}, BallotRules("approval", 1, min_choices=2), "too_few", {"minimum": 2, "chosen": 1}),
        (
            {1: 1, 2: 1, 3: 1},
            BallotRules("approval", 1, max_choices=2),
            "too_many",
            {"maximum": 2, "chosen": 3},
        ),
        (
            {},
            BallotRules("knapsack", 100_000, min_choices=0),
            "too_few",
            {"minimum": 1, "chosen": 0},
        ),
        (
            {1: 1, 2: 1},
            BallotRules("knapsack", 70_000),
            "over_budget",
            {"total": 75_000, "budget": 70_000, "over": 5_000},
        ),
        (
            {3: 1},
            BallotRules("knapsack", 100_000, knapsack_min_percent=50),
            "under_minimum",
            {"total": 30_000, "needed": 50_000, "percent": 50},
        ),
        (
            {1: 4, 2: 2},
            BallotRules("cumulative", 0, cumulative_points=5),
            "too_many_points",
            {"maximum": 5, "given": 6},
        ),
        (
            {1: 4},
            BallotRules("cumulative", 0, cumulative_max_per_idea=3),
            "too_many_on_one",
            {"maximum": 3},
        ),
        ({1: 1}, BallotRules("ranked", 1), "unknown_type", {}),
    ],
)
def test_each_broken_rule_is_named_with_its_figures(choices, rules, code, params):
    assert _problem(choices, rules) == (code, params)


def test_knapsack_minimum_rounds_up_to_the_cent():
    # 33% of 100,001 cents is 33,000.33: a ballot of 33,000 cents does not reach it.
    rules = BallotRules("knapsack", 100_001, knapsack_min_percent=33)
    costs = {1: 33_000, 2: 33_001}
    with pytest.raises(BallotProblem):
        check_ballot({1: 1}, costs, rules)
    check_ballot({2: 1}, costs, rules)
