"""Random elections: our rules select the same projects as pabutools."""

from __future__ import annotations

from hypothesis import given, settings

from buurtbegroting.tally import tally, write_pb
from tests.tally import tally_reference as ref
from tests.tally.tally_strategies import elections, small_costs, tie_breaks

TALLY = settings.get_profile("tally")


def reference_for(election):
    """Return pabutools' instance and profile for ``election`` (through the Pabulib text)."""
    return ref.load(text=write_pb(election))


@settings(TALLY, max_examples=400)
@given(
    elections(vote_types=("approval", "choose-1", "cumulative", "ordinal", "scoring")),
    tie_breaks,
)
def test_greedy_selects_what_pabutools_selects(election, tie_break):
    instance, profile = reference_for(election)
    ours = tally(election, rule="greedy", tie_break=tie_break)
    assert set(ours.selected) == set(ref.greedy(instance, profile, tie_break))


@settings(TALLY, max_examples=200)
@given(elections(vote_types=("approval", "choose-1", "cumulative")), tie_breaks)
def test_greedy_threshold_drops_the_same_projects_as_filtering_first(election, tie_break):
    instance, profile = reference_for(election)
    threshold = max(1, len(election.ballots) // 3)
    ours = tally(election, rule="greedy", tie_break=tie_break, threshold=threshold)
    assert set(ours.selected) == set(ref.greedy(instance, profile, tie_break, threshold))


@settings(TALLY, max_examples=250)
@given(elections(vote_types=("approval", "choose-1", "cumulative", "ordinal")), tie_breaks)
def test_plain_equal_shares_selects_what_pabutools_selects(election, tie_break):
    instance, profile = reference_for(election)
    for utility in ("cost", "cardinality"):
        ours = tally(
            election, rule="equal-shares", utility=utility, completion="none", tie_break=tie_break
        )
        theirs = ref.equal_shares(instance, profile, utility, "none", tie_break)
        assert set(ours.selected) == set(theirs), utility


@settings(TALLY, max_examples=200)
@given(
    elections(vote_types=("approval", "choose-1", "cumulative"), cost_values=small_costs),
    tie_breaks,
)
def test_equal_shares_with_add1_selects_what_pabutools_selects(election, tie_break):
    instance, profile = reference_for(election)
    for utility in ("cost", "cardinality"):
        ours = tally(
            election, rule="equal-shares", utility=utility, completion="add1", tie_break=tie_break
        )
        only = ref.equal_shares(instance, profile, utility, "add1-only", tie_break)
        assert set(ours.details["mes_selected"]) == set(only), utility
        done = ref.complete_greedily(instance, profile, only, tie_break)
        assert set(ours.selected) == set(done), utility


@settings(TALLY, max_examples=300)
@given(elections(vote_types=("approval", "choose-1")), tie_breaks)
def test_phragmen_selects_what_pabutools_selects(election, tie_break):
    instance, profile = reference_for(election)
    ours = tally(election, rule="phragmen", tie_break=tie_break)
    assert set(ours.selected) == set(ref.phragmen(instance, profile, tie_break))
