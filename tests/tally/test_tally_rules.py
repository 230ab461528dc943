"""Behaviour of the rules on small hand-made elections."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

from buurtbegroting.tally import RULES, Ballot, Election, Project, tally
from buurtbegroting.tally.mes import add1
from buurtbegroting.tally.mes_run import MesSetup
from buurtbegroting.tally.profile import build_profile
from buurtbegroting.tally.tiebreak import tie_break_key
from tests.tally.tally_strategies import elections, small_costs, tie_breaks

TALLY = settings.get_profile("tally")


def approval(budget, costs, votes, vote_type="approval", points=None, meta=None):
    """Build an election from {id: cost} and a list of ballots (lists of ids)."""
    return Election(
        budget=budget,
        vote_type=vote_type,
        projects={pid: Project(pid, cost, f"P{pid}") for pid, cost in costs.items()},
        ballots=[
            Ballot(str(i), list(v), list(points[i]) if points else None)
            for i, v in enumerate(votes)
        ],
        meta=meta or {},
    )


def test_registry_names_the_three_rules():
    assert set(RULES) == {"greedy", "equal-shares", "phragmen"}


def test_greedy_skips_a_project_that_does_not_fit_and_continues():
    e = approval(100, {"a": 80, "b": 50, "c": 20}, [["a", "b", "c"], ["a", "b"], ["a"]])
    outcome = tally(e)
    assert outcome.selected == ["a", "c"]
    assert outcome.total_cost == 100
    why = outcome.explanation["b"]
    assert (why.reason, why.details["remaining_budget"], why.details["cost"]) == (
        "did_not_fit",
        20,
        50,
    )
    assert outcome.explanation["c"].step == 2


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit():
    e = approval(100, {"a": 80, "b": 50, "c": 20}, [["a", "b", "c"], ["a", "b"], ["a"]])
    outcome = tally(e, no_skip=True)
    assert outcome.selected == ["a"]
    assert outcome.explanation["c"].reason == "not_reached"
    assert outcome.explanation["c"].details["stopped_at"] == "b"


def test_greedy_threshold_excludes_projects_below_it():
    e = approval(1000, {"a": 10, "b": 10}, [["a", "b"], ["a"], ["a"]])
    outcome = tally(e, threshold=2)
    assert outcome.selected == ["a"]
    assert outcome.explanation["b"].reason == "below_threshold"
    assert outcome.explanation["b"].details["threshold"] == 2


def test_greedy_threshold_as_a_percentage_of_voters():
    e = approval(1000, {"a": 10, "b": 10}, [["a", "b"], ["a"], ["a"], ["a"]])
    assert tally(e, threshold="25%").selected == ["a", "b"]
    assert tally(e, threshold="26%").selected == ["a"]


def test_cumulative_greedy_ranks_by_points():
    e = approval(10, {"a": 10, "b": 10}, [["a", "b"], ["b"]], "cumulative", points=[[1, 2], [1]])
    assert tally(e).selected == ["b"]


def test_ordinal_greedy_uses_k_minus_position():
    e = approval(
        10,
        {"a": 10, "b": 10, "c": 10},
        [["a", "b", "c"], ["b", "c"], ["c", "b"]],
        "ordinal",
        meta={"max_length": "3"},
    )
    outcome = tally(e)
    assert {p: outcome.explanation[p].score for p in "abc"} == {"a": 3, "b": 7, "c": 6}
    assert outcome.selected == ["b"]


def test_ties_go_to_the_smaller_id_as_a_string_by_default():
    e = approval(10, {"842": 10, "1640": 10}, [["842", "1640"]])
    assert tally(e).selected == ["1640"]


def test_cheaper_tie_break_prefers_the_cheaper_project():
    e = approval(10, {"a": 10, "b": 9}, [["a", "b"]])
    assert tally(e, tie_break="cheaper").selected == ["b"]


def test_seeded_lot_is_the_sha256_order_and_repeatable():
    import hashlib

    ids = [str(i) for i in range(10)]
    e = approval(1, dict.fromkeys(ids, 1), [ids])
    expected = min(ids, key=lambda p: hashlib.sha256(f"42:{p}".encode()).hexdigest())
    assert tally(e, tie_break="seed:42").selected == [expected]
    assert tally(e, tie_break="seed:42").selected == tally(e, tie_break="seed:42").selected


def test_withdrawn_project_is_never_selected():
    e = approval(10**10, {"a": 999_999_999, "b": 5}, [["a", "b"], ["a"]])
    for rule in RULES:
        outcome = tally(e, rule=rule)
        assert outcome.selected == ["b"]
        assert outcome.explanation["a"].reason == "withdrawn"


def test_integer_cents_stay_integers():
    e = approval(10_000, {"a": 2_550, "b": 7_450, "c": 1}, [["a", "b"], ["b", "c"]])
    for rule in RULES:
        outcome = tally(e, rule=rule)
        assert isinstance(outcome.total_cost, int)


def test_equal_shares_gives_a_minority_its_share():
    # 2 of 3 voters want x1,x2 (each 2); 1 voter wants y (2); budget 3 per voter
    e = approval(
        6, {"x1": 2, "x2": 2, "y": 2, "x3": 2}, [["x1", "x2", "x3"], ["x1", "x2", "x3"], ["y"]]
    )
    assert sorted(tally(e, rule="greedy").selected) == ["x1", "x2", "x3"]
    assert sorted(tally(e, rule="equal-shares", completion="none").selected) == ["x1", "x2", "y"]


def test_equal_shares_explains_what_supporters_could_pay():
    e = approval(12, {"a": 6, "b": 8}, [["a"], ["b"]])
    outcome = tally(e, rule="equal-shares", completion="none")
    assert outcome.selected == ["a"]
    why = outcome.explanation["b"]
    assert why.reason == "mes_unaffordable"
    assert (why.details["supporters_budget"], why.details["cost"]) == (6, 8)


def test_add1_raises_budgets_until_the_outcome_would_overspend():
    e = approval(10, {"a": 6, "b": 8, "c": 3}, [["a"], ["b"], ["c"]])
    outcome = tally(e, rule="equal-shares", completion="add1-only")
    assert outcome.details["add1_steps"] >= 1
    assert outcome.total_cost <= 10


def test_phragmen_stops_at_the_first_project_that_does_not_fit():
    # loads: b 8/3, a 3, c 4 — a no longer fits after b, so c is never reached
    e = approval(10, {"a": 6, "b": 8, "c": 2}, [["a"], ["a"], ["b"], ["b"], ["b"], ["c"]])
    e.projects["c"].cost = 4
    e.budget = 13
    outcome = tally(e, rule="phragmen")
    assert outcome.selected == ["b"]
    assert outcome.explanation["c"].reason == "phragmen_stopped"


def test_phragmen_refuses_cumulative_ballots():
    e = approval(10, {"a": 6}, [["a"]], "cumulative", points=[[1]])
    with pytest.raises(ValueError, match="approval"):
        tally(e, rule="phragmen")


def test_budget_zero_selects_only_free_projects():
    e = approval(0, {"a": 0, "b": 1}, [["a", "b"]])
    for rule in RULES:
        assert tally(e, rule=rule).selected == ["a"]


def test_outcome_serialises_to_json():
    import json

    e = approval(Fraction(21, 2), {"a": Fraction(1, 3), "b": 8}, [["a"], ["b"]])
    data = tally(e, rule="equal-shares").to_json()
    text = json.dumps(data)
    assert data["budget"] == 10.5
    assert data["explanation"]["a"]["cost"] == "1/3"
    assert "reason" in data["explanation"]["b"]
    assert text


@settings(TALLY, max_examples=150)
@given(elections(vote_types=("approval", "cumulative"), cost_values=small_costs), tie_breaks)
def test_galloping_add1_matches_the_unit_by_unit_loop(election, tie_break):
    profile = build_profile(election)
    setup = MesSetup(profile, "cost", tie_break_key(tie_break))
    fast, k_fast, _ = add1(setup, election.budget)
    slow, k_slow, _ = add1(setup, election.budget, search="linear")
    assert set(fast.selected) == set(slow.selected)


@settings(TALLY, max_examples=100)
@given(elections(vote_types=("approval",), max_voters=2000, max_projects=60), tie_breaks)
def test_float_runs_agree_with_exact_runs(election, tie_break):
    profile = build_profile(election)
    for utility in ("cost", "cardinality"):
        setup = MesSetup(profile, utility, tie_break_key(tie_break))
        b = Fraction(election.budget) / len(election.ballots) * 3
        fast = setup.run(b, arithmetic="float")
        exact = setup.run(b, arithmetic="exact")
        assert fast.selected == exact.selected
