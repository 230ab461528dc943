"""The numpy-built profile and the float shortcuts of the rules, against plain definitions."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import buurtbegroting.tally.phragmen as phragmen_module
from buurtbegroting.tally import Ballot, Election, Project, tally
from buurtbegroting.tally.mes_run import _water_level
from buurtbegroting.tally.model import WITHDRAWN_COST
from buurtbegroting.tally.profile import build_profile, ordinal_length, project_scores
from tests.tally.tally_strategies import elections, tie_breaks

TALLY = settings.get_profile("tally")


def plain_scores(election):
    """Each project's greedy score, ballot by ballot (a project named twice counts once)."""
    scores = dict.fromkeys(election.projects, 0)
    k = ordinal_length(election)
    for ballot in election.ballots:
        firsts = {}
        for pos, pid in enumerate(ballot.choices):
            firsts.setdefault(pid, pos)
        for pid, pos in firsts.items():
            if pid not in scores and election.vote_type in ("approval", "choose-1"):
                continue
            if election.vote_type in ("approval", "choose-1"):
                scores[pid] += 1
            elif ballot.points is not None:
                scores[pid] += ballot.points[pos]
            elif election.vote_type == "ordinal":
                scores[pid] += k - pos
            else:
                scores[pid] += 1
    return scores


def plain_types(election):
    """Distinct sets of eligible projects (sorted indices), in order of first appearance."""
    eligible = [p.id for p in election.projects.values() if not p.is_withdrawn]
    index = {pid: i for i, pid in enumerate(eligible)}
    counter = Counter(
        tuple(sorted({index[c] for c in b.choices if c in index})) for b in election.ballots
    )
    return list(counter), list(counter.values())


@st.composite
def odd_elections(draw):
    """Random elections, some ballots naming a project twice, some projects withdrawn."""
    election = draw(
        elections(
            vote_types=("approval", "choose-1", "cumulative", "ordinal", "scoring"),
            max_projects=20,
        )
    )
    if draw(st.integers(0, 20)) == 0:
        election.ballots = []
    ids = list(election.projects)
    for pid in draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)):
        election.projects[pid].cost = WITHDRAWN_COST
    for ballot in election.ballots:
        if ballot.choices and draw(st.integers(0, 4)) == 0:
            pos = draw(st.integers(0, len(ballot.choices) - 1))
            ballot.choices.append(ballot.choices[pos])
            if ballot.points is not None:
                ballot.points.append(draw(st.sampled_from([1, Fraction(1, 2)])))
    if election.vote_type == "cumulative" and draw(st.booleans()):
        election.ballots.append(Ballot("extra", [ids[0]], [Fraction(7, 3)]))
    if election.vote_type == "ordinal" and draw(st.booleans()):
        election.ballots.append(Ballot("extra", ids[:2], [5, 1][: len(ids[:2])]))
    return election


@settings(TALLY, max_examples=300)
@given(odd_elections())
def test_profile_equals_the_ballot_by_ballot_definition(election):
    profile = build_profile(election)
    scores = plain_scores(election)
    assert project_scores(election) == scores
    assert profile.all_scores == scores
    eligible = [p for p in election.projects.values() if not p.is_withdrawn]
    assert profile.ids == [p.id for p in eligible]
    assert profile.scores == [scores[p.id] for p in eligible]
    assert profile.approvals == [sum(p.id in b.choices for b in election.ballots) for p in eligible]
    assert (profile.types, profile.weights) == plain_types(election)
    assert profile.n_voters == len(election.ballots)


def test_huge_points_are_summed_exactly():
    election = odd_elections_example(points=[[10**20, 1], [3, 10**20 + 1]])
    assert project_scores(election) == {"a": 10**20 + 3, "b": 10**20 + 2}


def odd_elections_example(points):
    return Election(
        budget=10,
        vote_type="cumulative",
        projects={pid: Project(pid, 5) for pid in ("a", "b")},
        ballots=[Ballot("1", ["a", "b"], points[0]), Ballot("2", ["a", "b"], points[1])],
    )


@settings(TALLY, max_examples=200)
@given(elections(vote_types=("approval", "choose-1"), max_voters=200), tie_breaks)
def test_phragmen_float_prefilter_agrees_with_exact_loads(election, tie_break):
    fast = tally(election, rule="phragmen", tie_break=tie_break)
    init = phragmen_module._Loads.__init__

    def exact_only(self, profile):
        init(self, profile)
        self.use_float = False

    with patch.object(phragmen_module._Loads, "__init__", exact_only):
        slow = tally(election, rule="phragmen", tie_break=tie_break)
    assert fast.selected == slow.selected
    assert fast.to_json() == slow.to_json()


@settings(TALLY, max_examples=300)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.5, 1.0, 2.5, 3.0, 10.0]), st.integers(1, 3)),
        min_size=1,
        max_size=30,
    ),
    st.floats(0.01, 1.0),
    st.floats(0.0, 1.0),
)
def test_water_level_pays_exactly_the_cost(supporters, share, start):
    x = np.array([b for b, _ in supporters])
    w = np.array([float(n) for _, n in supporters])
    avail = float((x * w).sum())
    if avail == 0:
        return
    cost = avail * share
    exact_q = _exact_level(supporters, Fraction(cost))
    # start anywhere between cost / (all supporters) and (just under) the answer
    low = cost / float(w.sum())
    floor = low + (float(exact_q) * (1 - 1e-9) - low) * start
    q = _water_level(x, w, x * w, cost, float(w.sum()), max(low, floor))
    assert abs(float((np.minimum(x, q) * w).sum()) - cost) <= 1e-9 * cost
    assert abs(q - float(exact_q)) <= 1e-9 * float(exact_q)


def _exact_level(supporters, cost):
    paid, left = Fraction(0), sum(n for _, n in supporters)
    for budget, n in sorted(supporters):
        q = (cost - paid) / left
        if q <= Fraction(budget):
            return q
        paid += Fraction(budget) * n
        left -= n
    raise AssertionError("unaffordable")


def test_the_bit_matrix_is_unpacked_in_blocks_the_same_way():
    import random

    rnd = random.Random(1)
    ids = [str(i) for i in range(300)]
    election = Election(
        budget=1000,
        vote_type="approval",
        projects={pid: Project(pid, 5) for pid in ids},
        ballots=[Ballot(str(v), rnd.sample(ids, rnd.randint(0, 6))) for v in range(2000)],
    )
    with patch("buurtbegroting.tally.profile._BLOCK_BYTES", 1000):
        profile = build_profile(election)
        assert (profile.types, profile.weights) == plain_types(election)
        assert profile.scores == [plain_scores(election)[pid] for pid in ids]
