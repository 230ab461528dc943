"""Scores and compact ballot profiles shared by the rules."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from .model import Election, Number, exact


@dataclass
class Profile:
    """The counting view of an election: eligible projects, scores and ballot types."""

    ids: list[str]
    costs: list[Number]
    #: number of ballots naming the project
    approvals: list[int]
    #: the greedy score (approvals, points, or positional score)
    scores: list[Number]
    #: distinct approval sets (sorted project indices) and how many ballots have each
    types: list[tuple[int, ...]]
    weights: list[int]
    n_voters: int
    withdrawn: list[str]


def ordinal_length(election: Election) -> int:
    """Return k of the positional score k − position: META max_length, else the longest ballot."""
    raw = election.meta.get("max_length", "").strip()
    if raw:
        try:
            return int(Fraction(raw))
        except ValueError:
            pass
    return max((len(b.choices) for b in election.ballots), default=0)


def project_scores(election: Election) -> dict[str, Number]:
    """Return each project's greedy score: approvals, sum of points, or positional score."""
    scores: dict[str, Number] = dict.fromkeys(election.projects, 0)
    vt = election.vote_type
    k = ordinal_length(election) if vt == "ordinal" else 0
    for ballot in election.ballots:
        seen: set[str] = set()
        for pos, pid in enumerate(ballot.choices):
            if pid in seen:
                continue
            seen.add(pid)
            if vt in ("approval", "choose-1"):
                scores[pid] += 1
            elif vt == "ordinal" and ballot.points is None:
                scores[pid] += k - pos
            else:
                scores[pid] += ballot.points[pos] if ballot.points is not None else 1
    return {pid: exact(s) for pid, s in scores.items()}


def build_profile(election: Election) -> Profile:
    """Build the counting profile; withdrawn projects are left out."""
    eligible = [p for p in election.projects.values() if not p.is_withdrawn]
    index = {p.id: i for i, p in enumerate(eligible)}
    approvals = [0] * len(eligible)
    counter: Counter[tuple[int, ...]] = Counter()
    for ballot in election.ballots:
        approved = sorted({index[c] for c in ballot.choices if c in index})
        for i in approved:
            approvals[i] += 1
        counter[tuple(approved)] += 1
    types = list(counter)
    if election.vote_type in ("approval", "choose-1"):
        scores = {p.id: approvals[i] for i, p in enumerate(eligible)}
    else:
        scores = project_scores(election)
    return Profile(
        ids=[p.id for p in eligible],
        costs=[exact(p.cost) for p in eligible],
        approvals=approvals,
        scores=[scores[p.id] for p in eligible],
        types=types,
        weights=[counter[t] for t in types],
        n_voters=len(election.ballots),
        withdrawn=[p.id for p in election.projects.values() if p.is_withdrawn],
    )
