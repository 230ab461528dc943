"""Scores and compact ballot profiles shared by the rules.

The profile is built with numpy, without a Python step per ballot: every ballot becomes
a row of bits (one per project), identical rows are counted once as a ballot type, and
the types are kept as sorted project indices in CSR form (``type_start``,
``type_projects``). Scores are summed the same way when they are small integers; any
other case (fractions, huge numbers, a project named twice, points that do not line up
with the choices) takes the plain Python loop, which is the definition.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from operator import attrgetter

import numpy as np

from .model import Ballot, Election, Number, exact

#: rows of the bit matrix packed per block, so that its memory stays small
_BLOCK_BYTES = 1 << 24
#: sums of at most this size are exact in float64
_EXACT_FLOAT = 1 << 53


@dataclass
class Profile:
    """The counting view of an election: eligible projects, scores and ballot types."""

    ids: list[str]
    costs: list[Number]
    #: number of ballots naming the project
    approvals: list[int]
    #: the greedy score (approvals, points, or positional score)
    scores: list[Number]
    n_voters: int
    withdrawn: list[str]
    #: the greedy score of every project of the election, withdrawn ones included
    all_scores: dict[str, Number] = field(default_factory=dict)
    #: the ballots as arrays and the eligible projects' positions, for the ballot types
    ballots: _Ballots | None = field(default=None, repr=False, compare=False)
    eligible: list[int] = field(default_factory=list, repr=False, compare=False)

    @cached_property
    def _type_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # computed when a rule needs them (equal shares, Phragmén), not for greedy
        assert self.ballots is not None
        return self.ballots.types(self.eligible)

    @property
    def type_start(self) -> np.ndarray:
        """Return where each ballot type starts in ``type_projects`` (and the end)."""
        return self._type_arrays[0]

    @property
    def type_projects(self) -> np.ndarray:
        """Return the types' project indices: type t (a distinct set of eligible projects,
        in order of first appearance) holds type_projects[type_start[t]:type_start[t + 1]]."""
        return self._type_arrays[1]

    @property
    def type_weights(self) -> np.ndarray:
        """Return how many ballots have each type (int64)."""
        return self._type_arrays[2]

    @cached_property
    def types(self) -> list[tuple[int, ...]]:
        """Return the ballot types as tuples of sorted project indices."""
        flat = self.type_projects.tolist()
        bounds = self.type_start.tolist()
        return [tuple(flat[a:b]) for a, b in itertools.pairwise(bounds)]

    @cached_property
    def weights(self) -> list[int]:
        """Return how many ballots have each type."""
        return self.type_weights.tolist()

    @cached_property
    def entry_types(self) -> np.ndarray:
        """Return the type of each entry of ``type_projects``."""
        sizes = np.diff(self.type_start)
        return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)

    @cached_property
    def supporters(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the types approving each project in CSR form: ``(start, types)``."""
        order = np.argsort(self.type_projects, kind="stable")
        counts = np.bincount(self.type_projects, minlength=len(self.ids))
        start = np.zeros(len(self.ids) + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        return start, self.entry_types[order]


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
    return _Ballots(election).scores()


def _scores_by_loop(election: Election) -> dict[str, Number]:
    """Sum the scores ballot by ballot (the definition; counts a repeated project once)."""
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


class _Ballots:
    """The ballots of an election as flat numpy arrays and a packed bit matrix."""

    def __init__(self, election: Election) -> None:
        self.election = election
        projects = list(election.projects.values())
        self.m = m = len(projects)
        position = {p.id: i for i, p in enumerate(projects)}
        ballots: Sequence[Ballot] = election.ballots
        self.n = n = len(ballots)
        self.choices = choices = list(map(attrgetter("choices"), ballots))
        self.lengths = np.fromiter(map(len, choices), dtype=np.int64, count=n)
        total = int(self.lengths.sum())
        # project positions in file order; m stands for an id that is not a project
        self.flat = np.fromiter(
            map(position.get, itertools.chain.from_iterable(choices), itertools.repeat(m)),
            dtype=np.int64,
            count=total,
        )
        self.width = (m + 1 + 7) // 8
        self.packed = self._pack()
        self.counts = np.bitwise_count(self.packed).sum(axis=1, dtype=np.int64)
        # every ballot names each of its projects once (and no unknown id twice)
        self.distinct = bool(np.array_equal(self.counts, self.lengths))
        self.unknown = bool(total) and bool((self.flat == m).any())

    def _pack(self) -> np.ndarray:
        owner = np.repeat(np.arange(self.n, dtype=np.int64), self.lengths)
        packed = np.zeros((self.n, self.width), dtype=np.uint8)
        bits = np.left_shift(1, self.flat & 7).astype(np.uint8)
        np.bitwise_or.at(packed, (owner, self.flat >> 3), bits)
        return packed

    @cached_property
    def approvals(self) -> np.ndarray:
        """Return how many ballots name each project (all projects, file order)."""
        counts = np.zeros(self.m, dtype=np.int64)
        rows = max(1, _BLOCK_BYTES // max(1, 8 * self.width))
        for a in range(0, self.n, rows):
            bits = np.unpackbits(self.packed[a : a + rows], axis=1, bitorder="little")
            counts += bits[:, : self.m].sum(axis=0, dtype=np.int64)
        return counts

    def scores(self) -> dict[str, Number]:
        """Return every project's greedy score (see :func:`project_scores`)."""
        election = self.election
        ids = list(election.projects)
        vt = election.vote_type
        if vt in ("approval", "choose-1"):
            return dict(zip(ids, self.approvals.tolist(), strict=True))
        values = self._entry_scores()
        if values is None:
            return _scores_by_loop(election)
        sums = np.bincount(self.flat, weights=values, minlength=self.m + 1)[: self.m]
        return dict(zip(ids, (int(round(s)) for s in sums.tolist()), strict=True))

    def _entry_scores(self) -> np.ndarray | None:
        """Return the score of every entry as exact float64, or None to use the loop."""
        if not self.distinct or self.unknown:
            return None
        vt = self.election.vote_type
        total = len(self.flat)
        points = list(map(attrgetter("points"), self.election.ballots))
        if vt == "ordinal" and points.count(None) == self.n:
            k = ordinal_length(self.election)
            if abs(k) * total + total * total >= _EXACT_FLOAT:
                return None
            start = np.repeat(np.cumsum(self.lengths) - self.lengths, self.lengths)
            return (k - (np.arange(total) - start)).astype(np.float64)
        if None in points:
            return None
        lengths = np.fromiter(map(len, points), dtype=np.int64, count=self.n)
        if not np.array_equal(lengths, self.lengths):
            return None
        if not set(map(type, itertools.chain.from_iterable(points))) <= {int}:
            return None
        try:
            values = np.fromiter(itertools.chain.from_iterable(points), np.float64, total)
        except OverflowError:
            return None
        # ints of at most 2**53 / total are exact as floats, and so are their sums
        if total and float(np.abs(values).max()) * total >= _EXACT_FLOAT:
            return None
        return values

    def types(self, eligible: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the distinct sets of eligible projects: ``(start, projects, weights)``.

        Types come in order of first appearance; project indices count eligible projects.
        """
        if self.n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return np.zeros(1, dtype=np.int64), empty, empty
        keep = np.zeros(8 * self.width, dtype=bool)
        keep[eligible] = True
        mask = np.packbits(keep, bitorder="little")
        rows = self.packed & mask
        # the rows as unsigned 64-bit words, to sort them as numbers
        n_words = (self.width + 7) // 8
        padded = np.zeros((self.n, 8 * n_words), dtype=np.uint8)
        padded[:, : self.width] = rows
        words = padded.view(np.uint64)
        if n_words == 1:
            _, first, counts = np.unique(words[:, 0], return_index=True, return_counts=True)
        else:
            order = np.lexsort(words.T[::-1])  # stable: a group starts at its first ballot
            ordered = words[order]
            new = np.ones(self.n, dtype=bool)
            new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
            starts = np.flatnonzero(new)
            first = order[starts]
            counts = np.diff(np.append(starts, self.n))
        order = np.argsort(first)
        first, weights = first[order], counts[order].astype(np.int64)
        chosen = rows[first]
        block = max(1, _BLOCK_BYTES // (8 * self.width))
        found = [
            np.flatnonzero(np.unpackbits(chosen[a : a + block], axis=1, bitorder="little"))
            + a * 8 * self.width
            for a in range(0, len(chosen), block)
        ]
        type_of, project = np.divmod(np.concatenate(found), 8 * self.width)
        renumber = np.full(8 * self.width, -1, dtype=np.int64)
        renumber[eligible] = np.arange(len(eligible))
        start = np.zeros(len(first) + 1, dtype=np.int64)
        np.cumsum(np.bincount(type_of, minlength=len(first)), out=start[1:])
        return start, renumber[project], weights


def build_profile(election: Election) -> Profile:
    """Build the counting profile; withdrawn projects are left out."""
    projects = list(election.projects.values())
    eligible = [i for i, p in enumerate(projects) if not p.is_withdrawn]
    data = _Ballots(election)
    approvals = data.approvals.tolist()
    all_scores = data.scores()
    return Profile(
        ids=[projects[i].id for i in eligible],
        costs=[exact(projects[i].cost) for i in eligible],
        approvals=[approvals[i] for i in eligible],
        scores=[all_scores[projects[i].id] for i in eligible],
        n_voters=data.n,
        withdrawn=[p.id for p in projects if p.is_withdrawn],
        all_scores=all_scores,
        ballots=data,
        eligible=eligible,
    )
