"""Sequential Phragmén for approval ballots (as pabutools' ``sequential_phragmen``).

Voters earn money continuously; a project is bought as soon as its supporters together
can pay for it, its cost spread so that they all end at the same load
(load = (supporters' loads + cost) / supporters). Projects dearer than the budget are
left out from the start; the rule stops at the first round where a project with the
smallest new load (any of those tied) no longer fits the remaining budget.

Exact: a voter's load always equals the load set by the last selected project they
approve, so voters are kept in classes ("last selected project") and every sum is an
exact fraction over at most (selected + 1) classes. Each round compares the new loads in
float64 first and exactly only among the projects within a relative 1e-9 of the smallest.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .greedy import withdrawn_explanations
from .model import Election, Outcome, ProjectExplanation, exact, format_amount
from .profile import Profile, build_profile
from .tiebreak import tie_break_key

#: relative margin within which float loads are compared exactly
EPS = 1e-9


def phragmen(
    election: Election, *, tie_break: str = "lexicographic", profile: Profile | None = None
) -> Outcome:
    """Compute sequential Phragmén's outcome for an approval or choose-1 vote."""
    if election.vote_type not in ("approval", "choose-1"):
        raise ValueError("Phragmén applies to approval and choose-1 ballots only")
    profile = profile or build_profile(election)
    key = tie_break_key(tie_break, list(election.projects))
    budget = exact(election.budget)
    m = len(profile.ids)
    costs = profile.costs
    loads_of = _Loads(profile)
    remaining = {p for p in range(m) if costs[p] <= budget}
    spent = 0
    selected: list[int] = []
    loads: dict[int, Fraction] = {}
    stop: dict | None = None
    while remaining:
        best, tied = loads_of.smallest(sorted(remaining))
        blocked = [p for p in tied if spent + costs[p] > budget]
        if blocked:
            stop = {"blocked_by": sorted(profile.ids[p] for p in blocked), "load": best}
            break
        win = min(tied, key=lambda p: key(profile.ids[p], costs[p]))
        remaining.discard(win)
        selected.append(win)
        loads[win] = best
        spent += costs[win]
        if best is not None:
            loads_of.select(win, best)
    left = exact(budget - spent)
    explanation = withdrawn_explanations(election, profile)
    for p, pid in enumerate(profile.ids):
        cost, votes = costs[p], profile.approvals[p]
        base = {"cost": cost, "votes": votes}
        if p in loads:
            step = selected.index(p) + 1
            load = loads[p]
            explanation[pid] = ProjectExplanation(
                pid,
                cost,
                votes,
                True,
                "selected",
                step,
                "phragmen",
                {**base, "load": load},
                f"Selected as number {step}; afterwards each supporter carries a load of "
                f"{format_amount(load) if load is not None else 'n/a'}.",
            )
        elif cost > budget:
            explanation[pid] = ProjectExplanation(
                pid,
                cost,
                votes,
                False,
                "exceeds_budget",
                None,
                None,
                {**base, "budget": budget},
                f"It costs {format_amount(cost)}, more than the whole budget.",
            )
        else:
            explanation[pid] = ProjectExplanation(
                pid,
                cost,
                votes,
                False,
                "phragmen_stopped",
                None,
                None,
                {**base, "remaining_budget": left, **(stop or {})},
                "Not reached: Phragmén stopped when the next project "
                f"({', '.join(stop['blocked_by']) if stop else '?'}) no longer fitted "
                f"({format_amount(left)} left).",
            )
    return Outcome(
        rule="phragmen",
        selected=[profile.ids[p] for p in selected],
        total_cost=exact(spent),
        budget=budget,
        explanation={pid: explanation[pid] for pid in election.projects},
        details={"tie_break": tie_break, "vote_type": election.vote_type},
    )


class _Loads:
    """The voters' loads in classes, and each project's new load if it were bought next.

    counts[p, c] holds how many supporters of p carry the load of class c. A round first
    compares the new loads in float64 (each a sum of at most (classes + 1) non-negative
    terms, so off by far less than the relative margin EPS) and then compares exactly,
    as fractions, only the projects within the margin of the smallest.
    """

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        m = len(profile.ids)
        self.start, self.types = profile.supporters
        self.sizes = np.diff(profile.type_start)
        self.weights = profile.type_weights
        self.type_class = np.zeros(len(self.weights), dtype=np.int64)  # 0 = load 0
        self.class_load: list[Fraction] = [Fraction(0)]
        self.counts = np.zeros((m, m + 2), dtype=np.int64)
        np.add.at(self.counts[:, 0], profile.type_projects, self.weights[profile.entry_types])
        self.scores = np.asarray(profile.approvals, dtype=np.float64)
        try:
            self.class_float = np.zeros(m + 2)
            self.costs = np.array([float(c) for c in profile.costs], dtype=np.float64)
            self.use_float = bool(np.isfinite(self.costs).all())
        except OverflowError:
            self.use_float = False

    def exact(self, p: int) -> Fraction | None:
        """Return the load of p's supporters after buying p (None: p has no supporters)."""
        score = self.profile.approvals[p]
        if score == 0:
            return None
        row = self.counts[p]
        total = sum((int(row[c]) * self.class_load[c] for c in np.flatnonzero(row)), Fraction(0))
        return (total + self.profile.costs[p]) / score

    def smallest(self, projects: list[int]) -> tuple[Fraction | None, list[int]]:
        """Return the smallest new load among ``projects`` and the projects that have it."""
        candidates = projects
        if self.use_float:
            rows = np.asarray(projects, dtype=np.int64)
            n_classes = len(self.class_load)
            carried = (self.counts[rows, :n_classes] * self.class_float[:n_classes]).sum(axis=1)
            scores = self.scores[rows]
            supported = scores > 0
            if supported.any():
                new = (carried[supported] + self.costs[rows[supported]]) / scores[supported]
                lowest = float(new.min())
                if np.isfinite(lowest):
                    near = new <= lowest * (1 + EPS) + 1e-300
                    candidates = rows[supported][near].tolist()
        best: Fraction | None = None
        tied: list[int] = []
        for p in candidates:
            load = self.exact(p)
            if not tied or _less(load, best):
                best, tied = load, [p]
            elif load == best:
                tied.append(p)
        return best, tied

    def select(self, win: int, load: Fraction) -> None:
        """Move the supporters of ``win`` to a new class carrying ``load``."""
        new = len(self.class_load)
        self.class_load.append(load)
        if self.use_float:
            self.class_float[new] = float(load)
        movers = self.types[self.start[win] : self.start[win + 1]]
        lengths = self.sizes[movers]
        firsts = self.profile.type_start[movers]
        entries = np.repeat(firsts - (np.cumsum(lengths) - lengths), lengths) + np.arange(
            int(lengths.sum())
        )
        projects = self.profile.type_projects[entries]
        weight = np.repeat(self.weights[movers], lengths)
        np.subtract.at(self.counts, (projects, np.repeat(self.type_class[movers], lengths)), weight)
        np.add.at(self.counts[:, new], projects, weight)
        self.type_class[movers] = new


def _less(a: Fraction | None, b: Fraction | None) -> bool:
    if a is None:
        return False
    return b is None or a < b
