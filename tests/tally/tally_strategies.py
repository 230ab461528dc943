"""Hypothesis strategies for random elections, and shared helpers for the tally tests."""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from buurtbegroting.tally import Ballot, Election, Project, read_pb

PABULIB = Path("/work/shared/pabulib")
FILES = sorted(p.name for p in PABULIB.glob("*.pb"))
SMALL_FILES = [f for f in FILES if (PABULIB / f).stat().st_size < 50_000]

ID_CHARS = "0123456789ABab/._-"


@cache
def real(name: str) -> Election:
    """Read (once per session) a real election from /work/shared/pabulib."""
    return read_pb(PABULIB / name)


#: small costs keep pabutools' add1 loop (one MES run per currency unit) short
small_costs = st.one_of(st.sampled_from([0, 1, 5, 10, 10, 20]), st.integers(0, 60))

tie_breaks = st.sampled_from(["lexicographic", "cheaper", "seed:7", "seed:2024"])

costs = st.one_of(
    st.sampled_from([0, 1, 5, 10, 10, 10, 20, 50]),
    st.integers(0, 100),
    st.integers(100, 10_000),
)


@st.composite
def elections(
    draw,
    vote_types=("approval",),
    max_projects=12,
    max_voters=80,
    max_types=12,
    decimals=False,
    cost_values=costs,
    min_voters=1,
):
    """Draw a random election: few distinct ballots, repeated, with many ties."""
    vote_type = draw(st.sampled_from(vote_types))
    m = draw(st.integers(1, max_projects))
    ids = draw(
        st.lists(st.text(ID_CHARS, min_size=1, max_size=4), min_size=m, max_size=m, unique=True)
    )
    project_costs = draw(st.lists(cost_values, min_size=m, max_size=m))
    if decimals:
        cents = draw(st.lists(st.integers(0, 99), min_size=m, max_size=m))
        project_costs = [c + Fraction(x, 100) for c, x in zip(project_costs, cents, strict=True)]
    total = sum(project_costs)
    budget = draw(
        st.one_of(
            st.just(0),
            st.integers(0, max(1, int(total))),
            st.integers(0, 3 * max(1, int(total))),
            st.sampled_from(project_costs),
        )
    )
    n = draw(st.integers(min_voters, max_voters))
    n_types = draw(st.integers(1, min(max_types, n)))
    max_len = m if vote_type != "choose-1" else 1
    min_len = 0 if vote_type in ("approval", "choose-1") else 1
    templates = []
    for _ in range(n_types):
        chosen = draw(
            st.lists(st.sampled_from(ids), min_size=min_len, max_size=max_len, unique=True)
        )
        points = None
        if vote_type in ("cumulative", "scoring"):
            points = draw(st.lists(st.integers(1, 5), min_size=len(chosen), max_size=len(chosen)))
        templates.append((chosen, points))
    rnd = draw(st.randoms(use_true_random=False))
    weights = [rnd.choice([1, 1, 2, 5, 20]) for _ in templates]
    picks = list(range(n_types)) + rnd.choices(range(n_types), weights, k=n - n_types)
    ballots = []
    for v in range(n):
        chosen, points = templates[picks[v]]
        ballots.append(
            Ballot(
                voter_id=str(v + 1), choices=list(chosen), points=list(points) if points else points
            )
        )
    meta = {"description": "random", "country": "Nowhere"}
    if vote_type == "ordinal":
        meta["max_length"] = str(max(len(b.choices) for b in ballots))
    return Election(
        budget=budget,
        vote_type=vote_type,
        projects={
            pid: Project(id=pid, cost=c, name=f"Project {pid}")
            for pid, c in zip(ids, project_costs, strict=True)
        },
        ballots=ballots,
        meta=meta,
    )


BOOKKEEPING = {"num_projects", "num_votes", "budget", "vote_type"}


def same_election(a: Election, b: Election) -> bool:
    """Tell whether two elections are equal, ignoring META keys the writer fills in."""

    def strip(meta):
        return {k: v for k, v in meta.items() if k not in BOOKKEEPING}

    return (
        a.budget == b.budget
        and a.vote_type == b.vote_type
        and a.projects == b.projects
        and list(a.projects) == list(b.projects)
        and a.ballots == b.ballots
        and strip(a.meta) == strip(b.meta)
    )
