"""Sequential Phragmén for approval ballots (as pabutools' ``sequential_phragmen``).

Voters earn money continuously; a project is bought as soon as its supporters together
can pay for it, its cost spread so that they all end at the same load
(load = (supporters' loads + cost) / supporters). Projects dearer than the budget are
left out from the start; the rule stops at the first round where a project with the
smallest new load (any of those tied) no longer fits the remaining budget.

Exact: a voter's load always equals the load set by the last selected project they
approve, so voters are kept in classes ("last selected project") and every sum is an
exact fraction over at most (selected + 1) classes.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .greedy import withdrawn_explanations
from .model import Election, Outcome, ProjectExplanation, exact, format_amount
from .profile import Profile, build_profile
from .tiebreak import tie_break_key


def phragmen(
    election: Election, *, tie_break: str = "lexicographic", profile: Profile | None = None
) -> Outcome:
    """Compute sequential Phragmén's outcome for an approval or choose-1 vote."""
    if election.vote_type not in ("approval", "choose-1"):
        raise ValueError("Phragmén applies to approval and choose-1 ballots only")
    profile = profile or build_profile(election)
    key = tie_break_key(tie_break)
    budget = exact(election.budget)
    m = len(profile.ids)
    costs = profile.costs
    entries_t = np.fromiter((t for t, ps in enumerate(profile.types) for _ in ps), dtype=np.int64)
    entries_p = np.fromiter((p for ps in profile.types for p in ps), dtype=np.int64)
    weights = np.asarray(profile.weights, dtype=np.int64)
    entry_w = weights[entries_t] if len(entries_t) else np.zeros(0, dtype=np.int64)
    type_class = np.zeros(len(profile.types), dtype=np.int64)  # 0 = load 0
    class_load: list[Fraction] = [Fraction(0)]
    # counts[p, c]: supporters of p whose load is class_load[c]
    counts = np.zeros((m, 1), dtype=np.int64)
    np.add.at(counts[:, 0], entries_p, entry_w)
    remaining = {p for p in range(m) if costs[p] <= budget}
    spent = 0
    selected: list[int] = []
    loads: dict[int, Fraction] = {}
    stop: dict | None = None
    while remaining:
        best = None
        tied: list[int] = []
        for p in remaining:
            score = profile.approvals[p]
            if score == 0:
                load = None  # infinite
            else:
                row = counts[p]
                total = sum((int(row[c]) * class_load[c] for c in np.flatnonzero(row)), Fraction(0))
                load = (total + costs[p]) / score
            if not tied or _less(load, best):
                best, tied = load, [p]
            elif load == best:
                tied.append(p)
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
            class_load.append(best)
            new = len(class_load) - 1
            counts = np.concatenate([counts, np.zeros((m, 1), dtype=np.int64)], axis=1)
            movers = np.zeros(len(profile.types), dtype=bool)
            movers[[t for t, ps in enumerate(profile.types) if win in ps]] = True
            mask = movers[entries_t]
            np.subtract.at(counts, (entries_p[mask], type_class[entries_t[mask]]), entry_w[mask])
            np.add.at(counts[:, new], entries_p[mask], entry_w[mask])
            type_class[movers] = new
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


def _less(a: Fraction | None, b: Fraction | None) -> bool:
    if a is None:
        return False
    return b is None or a < b
