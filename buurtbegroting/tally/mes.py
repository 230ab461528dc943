"""Method of Equal Shares (MES) with cost or cardinality utilities and add1 completion.

Matches pabutools 1.2.3 (``method_of_equal_shares`` inside ``exhaustion_by_budget_increase``
with ``budget_step`` = number of voters, then ``greedy_utilitarian_welfare`` with cost
satisfaction inside ``completion_by_rule_combination``):

- every voter starts with budget / number of ballots (empty ballots count);
- a project is a candidate when it costs more than 0 and has supporters with positive
  utility. Under cost utility a project of cost 0 gives utility 0, so MES never selects
  it (the greedy completion does); under cardinality utility a supported project of cost
  0 is selected before anything else;
- each round buys the affordable project with the smallest ρ (each supporter pays
  min(budget, ρ·utility)); ties go to the tie-break order;
- add1 (``completion="add1"``, or ``"add1-only"`` without the final greedy step, which is
  what Assen 2024 did — META ``equalshares/add1``): per-voter budget b_k = budget/n + k for k = 0, 1, … (k ≤ budget): stop at the
  first k whose outcome costs more than the budget (keep the outcome of k − 1) or leaves
  no project that still fits (keep it); then complete greedily by number of votes.

Arithmetic: a run is first made in float64 with a certified margin (relative 1e-9) on
every comparison that decides the outcome (can the supporters pay, which ρ is smallest);
a near-tie between projects whose supporters all pay the same share is settled exactly
(rho = cost / (utility × supporters)); any other comparison closer than the margin makes
the run start again with exact fractions. The payment cap of a project is found without
sorting: those with less than the cap pay all they have, and the cap is raised until
that set stops growing (usually two or three passes over the supporters).
add1 does not rerun MES for every currency unit: it gallops (k+1, k+2, k+4, …) while the
selected set stays the same and bisects to the first k where it changes. This assumes
that when two budgets give the same set, all budgets between them do too; the tests
check the result against the unit-by-unit loop and against pabutools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import floor

import numpy as np

from .greedy import withdrawn_explanations
from .model import Election, Number, Outcome, ProjectExplanation, exact, format_amount
from .profile import Profile, build_profile
from .tiebreak import tie_break_key

EPS = 1e-9

#: none: plain MES; greedy: MES then greedy by votes; add1: add1 then greedy by votes
#: (equalshares.net, pabutools' rule combination); add1-only: add1 without the greedy step
COMPLETIONS = ("none", "greedy", "add1", "add1-only")


class _Uncertain(Exception):
    """A float comparison was too close to call."""


@dataclass
class MesRun:
    """One MES run at a fixed per-voter budget."""

    budget_per_voter: Number
    selected: list[int]
    #: per selected project: rho and the payment cap per supporter
    steps: dict[int, dict] = field(default_factory=dict)
    #: per candidate not selected: what its supporters had left at the end
    leftover: dict[int, Number | float] = field(default_factory=dict)
    exact: bool = True


class MesSetup:
    """Precomputed data for repeated MES runs on one profile."""

    def __init__(self, profile: Profile, utility: str, tie_key):
        if utility not in ("cost", "cardinality"):
            raise ValueError(f"unknown utility {utility!r}: use cost or cardinality")
        self.profile = profile
        self.utility = utility
        m = len(profile.ids)
        self.order_key = [tie_key(profile.ids[i], profile.costs[i]) for i in range(m)]
        start, types = profile.supporters
        self._start, self._types = start, types
        self.weights = profile.weights
        weights = profile.type_weights
        self.support_weight = [int(weights[types[start[p] : start[p + 1]]].sum()) for p in range(m)]
        self.util = [profile.costs[p] if utility == "cost" else 1 for p in range(m)]
        self.free: list[int] = []
        self.candidates: list[int] = []
        for p in range(m):
            if self.support_weight[p] == 0 or self.util[p] == 0:
                continue
            if profile.costs[p] > 0:
                self.candidates.append(p)
            else:
                self.free.append(p)
        # cost-0 projects with supporters (cardinality only) come first, in id order
        self.free.sort(key=lambda p: profile.ids[p])
        self.entries = sum(int(start[p + 1] - start[p]) for p in self.candidates)
        # projects with the same supporters and cost always have exactly the same rho:
        # they share a twin group, whose rho is computed once per round
        groups: dict[tuple[Number, bytes], int] = {}
        self.twin = [
            groups.setdefault((profile.costs[p], types[start[p] : start[p + 1]].tobytes()), p)
            for p in range(m)
        ]
        self._idx = {p: types[start[p] : start[p + 1]] for p in self.candidates}
        w = weights.astype(np.float64)
        self._w = {p: w[self._idx[p]] for p in self.candidates}
        self._cost = {p: float(profile.costs[p]) for p in self.candidates}
        self._util = {p: float(self.util[p]) for p in self.candidates}
        self._total = {p: float(self.support_weight[p]) for p in self.candidates}
        self._first_rho = {
            p: self._cost[p] / (self._util[p] * self._total[p]) for p in self.candidates
        }

    @cached_property
    def supp(self) -> list[list[int]]:
        """Return the ballot types approving each project (lists, for the exact runs)."""
        start, types = self._start, self._types
        return [types[start[p] : start[p + 1]].tolist() for p in range(len(self.profile.ids))]

    def run(self, budget_per_voter: Number, arithmetic: str = "auto") -> MesRun:
        """Run MES once with the given per-voter budget."""
        if arithmetic == "exact":
            return self._run_exact(budget_per_voter)
        try:
            return self._run_float(budget_per_voter)
        except _Uncertain:
            return self._run_exact(budget_per_voter)

    def _run_exact(self, b: Number) -> MesRun:
        costs, util, supp, w = self.profile.costs, self.util, self.supp, self.weights
        beta: list[Number] = [b] * len(self.weights)
        remaining = set(self.candidates)
        stale = {p: Fraction(costs[p], util[p] * self.support_weight[p]) for p in remaining}
        run = MesRun(budget_per_voter=b, selected=list(self.free))
        while remaining:
            best: Fraction | None = None
            tied: list[int] = []
            caps: dict[int, Fraction] = {}
            for p in sorted(remaining, key=stale.__getitem__):
                cost = costs[p]
                avail = sum(w[t] * beta[t] for t in supp[p])
                if avail < cost:
                    remaining.discard(p)
                    continue
                if best is not None and stale[p] > best:
                    break
                paid: Number = 0
                wrem = self.support_weight[p]
                q = Fraction(cost, wrem)
                for t in sorted(supp[p], key=beta.__getitem__):
                    q = Fraction(cost - paid) / wrem
                    if q <= beta[t]:
                        break
                    paid += w[t] * beta[t]
                    wrem -= w[t]
                rho = q / util[p]
                stale[p] = rho
                caps[p] = q
                if best is None or rho < best:
                    best, tied = rho, [p]
                elif rho == best:
                    tied.append(p)
            if not tied:
                break
            win = min(tied, key=self.order_key.__getitem__)
            q = caps[win]
            for t in supp[win]:
                beta[t] = exact(beta[t] - min(beta[t], q))
            remaining.discard(win)
            run.selected.append(win)
            run.steps[win] = {"rho": best, "payment_cap": q, "tied": len(tied)}
        for p in self.candidates:
            if p not in run.steps:
                run.leftover[p] = exact(sum(w[t] * beta[t] for t in supp[p]))
        return run

    def _run_float(self, b: Number) -> MesRun:
        costs, util = self.profile.costs, self.util
        beta = np.full(len(self.weights), float(b))
        remaining = set(self.candidates)
        # rho only grows during a run: a stale rho is a lower bound
        stale = dict(self._first_rho)
        twin = self.twin
        run = MesRun(budget_per_voter=b, selected=list(self.free), exact=False)
        while remaining:
            best = float("inf")
            rhos: dict[int, float] = {}
            caps: dict[int, float] = {}
            certain: dict[int, Fraction] = {}
            computed: dict[int, tuple[float, float, bool] | None] = {}
            for p in sorted(remaining, key=stale.__getitem__):
                if stale[p] > best * (1 + EPS):
                    break
                group = twin[p]
                if group in computed:
                    found = computed[group]
                else:
                    # the cap found in an earlier round can only have grown since
                    floor = stale[p] * self._util[p] * (1 - EPS)
                    found = computed[group] = self._rho(p, beta, floor)
                if found is None:
                    remaining.discard(p)  # its supporters can no longer pay for it
                    continue
                rho, q, same_share = found
                if same_share:
                    # every supporter pays the same share: rho is exactly cost / (u * W)
                    certain[p] = Fraction(costs[p], util[p] * self.support_weight[p])
                stale[p] = rhos[p] = rho
                caps[p] = q
                best = min(best, rho)
            if not rhos:
                break
            win = min(rhos, key=lambda p: (rhos[p], self.order_key[p]))
            close = [
                p
                for p, r in rhos.items()
                if p != win and r <= best * (1 + EPS) and twin[p] != twin[win]
            ]
            if close:
                group = [win, *close]
                if not all(p in certain for p in group):
                    raise _Uncertain
                lowest = min(certain[p] for p in group)
                win = min(
                    (p for p in group if certain[p] == lowest), key=self.order_key.__getitem__
                )
            idx = self._idx[win]
            beta[idx] = np.maximum(beta[idx] - caps[win], 0.0)
            remaining.discard(win)
            run.selected.append(win)
            run.steps[win] = {"rho": rhos[win], "payment_cap": caps[win], "tied": 1}
        for p in self.candidates:
            if p not in run.steps:
                run.leftover[p] = float(np.multiply(beta[self._idx[p]], self._w[p]).sum())
        return run

    def _rho(self, p: int, beta: np.ndarray, floor: float) -> tuple[float, float, bool] | None:
        """Return (rho, payment cap, whether all supporters pay the cap) or None if unaffordable.

        ``floor`` is a lower bound of the cap (from an earlier round of this run). Raise
        _Uncertain when the supporters' money is too close to the cost to tell.
        """
        x = beta[self._idx[p]]
        w = self._w[p]
        xw = np.multiply(x, w)
        cost = self._cost[p]
        avail = float(xw.sum())
        if avail < cost * (1 - EPS):
            return None
        if avail <= cost * (1 + EPS):
            raise _Uncertain
        total = self._total[p]
        q = cost / total
        low = float(x.min())
        if low >= q:
            return q / self._util[p], q, low >= q * (1 + EPS)
        q = _water_level(x, w, xw, cost, total, max(q, floor))
        return q / self._util[p], q, False


def _water_level(
    x: np.ndarray, w: np.ndarray, xw: np.ndarray, cost: float, total: float, q: float
) -> float:
    """Return the cap q with sum(w · min(x, q)) = cost, from a lower bound q of it.

    Those with less than q pay all they have (xw = x · w); q then rises to cover the
    rest. The set of full payers only grows, so this ends after a few rounds (one per
    budget level crossed); after 32 rounds the sorted computation decides.
    """
    count = -1
    for _ in range(32):
        below = x < q
        k = int(np.count_nonzero(below))
        if k == count:
            return q
        count = k
        rest = total - float(w[below].sum())
        if rest <= 0:
            raise _Uncertain
        q = (cost - float(xw[below].sum())) / rest
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    paid_before = np.concatenate(([0.0], np.cumsum(xs * ws)[:-1]))
    wrem = total - np.concatenate(([0.0], np.cumsum(ws)[:-1]))
    qj = (cost - paid_before) / wrem
    ok = np.flatnonzero(qj <= xs)
    return float(qj[ok[0]] if len(ok) else qj[-1])


def _cost(profile: Profile, selected: list[int]) -> Number:
    return sum((profile.costs[p] for p in selected), 0)


def _exhaustive(profile: Profile, selected: list[int], budget: Number) -> bool:
    chosen = set(selected)
    left = budget - _cost(profile, selected)
    return not any(p not in chosen and c <= left for p, c in enumerate(profile.costs))


def add1(
    setup: MesSetup,
    budget: Number,
    *,
    search: str = "gallop",
    arithmetic: str = "auto",
) -> tuple[MesRun, int, int]:
    """Run MES with add1; return the kept run, its k and the number of MES runs made."""
    profile = setup.profile
    n = profile.n_voters
    base = Fraction(budget) / n
    kmax = floor(budget)
    cache: dict[int, MesRun] = {}

    def run(k: int) -> MesRun:
        if k not in cache:
            cache[k] = setup.run(exact(base + k), arithmetic)
        return cache[k]

    def status(r: MesRun) -> str:
        if _cost(profile, r.selected) > budget:
            return "infeasible"
        if _exhaustive(profile, r.selected, budget):
            return "exhaustive"
        return "go"

    current = run(0)
    if status(current) == "exhaustive":
        return current, 0, len(cache)
    lo = 0
    if search == "linear":
        while lo < kmax:
            nxt = run(lo + 1)
            st = status(nxt)
            if st == "infeasible":
                return current, lo, len(cache)
            if st == "exhaustive":
                return nxt, lo + 1, len(cache)
            current, lo = nxt, lo + 1
        return current, lo, len(cache)
    step = 1
    same = set(current.selected)
    while lo < kmax:
        hi = min(lo + step, kmax)
        if set(run(hi).selected) == same:
            current, lo = run(hi), hi
            step *= 2
            continue
        a, b = lo, hi
        while b - a > 1:
            mid = (a + b) // 2
            if set(run(mid).selected) == same:
                a = mid
            else:
                b = mid
        changed = run(b)
        st = status(changed)
        if st == "infeasible":
            return run(b - 1), b - 1, len(cache)
        if st == "exhaustive":
            return changed, b, len(cache)
        current, lo, step = changed, b, 1
        same = set(current.selected)
    return current, lo, len(cache)


def equal_shares(
    election: Election,
    *,
    utility: str = "cost",
    completion: str = "add1",
    tie_break: str = "lexicographic",
    profile: Profile | None = None,
    search: str = "gallop",
    arithmetic: str = "auto",
) -> Outcome:
    """Compute the Method of Equal Shares outcome, optionally completed (add1 or greedy)."""
    if completion not in COMPLETIONS:
        raise ValueError(f"unknown completion {completion!r}: use {', '.join(COMPLETIONS)}")
    profile = profile or build_profile(election)
    key = tie_break_key(tie_break)
    setup = MesSetup(profile, utility, key)
    budget = exact(election.budget)
    runs = 1
    k = 0
    if profile.n_voters == 0:
        mes_run = MesRun(budget_per_voter=0, selected=[])
    elif completion in ("add1", "add1-only"):
        mes_run, k, runs = add1(setup, budget, search=search, arithmetic=arithmetic)
    else:
        mes_run = setup.run(exact(Fraction(budget) / profile.n_voters), arithmetic)
    selected = list(mes_run.selected)
    phase = dict.fromkeys(selected, "mes")
    left = budget - _cost(profile, selected)
    if completion in ("greedy", "add1") and not _exhaustive(profile, selected, budget):
        chosen = set(selected)
        density = [
            profile.approvals[p] if profile.costs[p] > 0 else 0 for p in range(len(profile.ids))
        ]
        order = sorted(
            (p for p in range(len(profile.ids)) if p not in chosen),
            key=lambda p: (-density[p], key(profile.ids[p], profile.costs[p])),
        )
        for p in order:
            if profile.costs[p] <= left:
                selected.append(p)
                phase[p] = "completion"
                left -= profile.costs[p]
    explanation = withdrawn_explanations(election, profile)
    step_of = {p: s for s, p in enumerate(selected, start=1)}
    bpv = mes_run.budget_per_voter
    for p, pid in enumerate(profile.ids):
        cost, votes = profile.costs[p], profile.approvals[p]
        base = {"cost": cost, "votes": votes}
        if p in step_of and phase[p] == "mes":
            info = mes_run.steps.get(p)
            if info is None:
                details = {**base, "free": True}
                text = f"Selected as number {step_of[p]}: it costs nothing and has supporters."
            else:
                details = {**base, "rho": info["rho"], "payment_per_supporter": info["payment_cap"]}
                text = (
                    f"Selected by equal shares as number {step_of[p]}: its {votes} supporters "
                    f"paid at most {format_amount(info['payment_cap'])} each."
                )
            explanation[pid] = ProjectExplanation(
                pid, cost, votes, True, "selected", step_of[p], "mes", details, text
            )
            continue
        could_pay = mes_run.leftover.get(p, 0)
        details = {**base, "supporters_budget": could_pay, "budget_per_voter": bpv}
        if p in step_of:
            details["remaining_budget_after"] = _left_after(profile, selected, p, budget)
            text = (
                f"Not affordable under equal shares (its supporters had "
                f"{format_amount(could_pay)} left, it costs {format_amount(cost)}); "
                f"selected in the completion by votes as number {step_of[p]}."
            )
            explanation[pid] = ProjectExplanation(
                pid, cost, votes, True, "selected", step_of[p], "completion", details, text
            )
            continue
        details["remaining_budget"] = left
        if votes == 0 or (cost > 0 and p not in setup.candidates):
            reason = "no_supporters"
            text = "Nobody voted for it, so equal shares cannot fund it"
        else:
            reason = "mes_unaffordable"
            text = (
                f"Its supporters could still pay {format_amount(could_pay)} of its cost "
                f"{format_amount(cost)} under equal shares"
            )
        if completion in ("greedy", "add1"):
            text += f"; it did not fit in the completion ({format_amount(left)} left)."
        else:
            text += "."
        explanation[pid] = ProjectExplanation(
            pid, cost, votes, False, reason, None, None, details, text
        )
    sel_ids = [profile.ids[p] for p in selected]
    return Outcome(
        rule="equal-shares",
        selected=sel_ids,
        total_cost=exact(budget - left),
        budget=budget,
        explanation={pid: explanation[pid] for pid in election.projects},
        details={
            "utility": utility,
            "completion": completion,
            "tie_break": tie_break,
            "vote_type": election.vote_type,
            "budget_per_voter": bpv,
            "add1_steps": k,
            "mes_runs": runs,
            "mes_selected": [profile.ids[p] for p in mes_run.selected],
        },
    )


def _left_after(profile: Profile, selected: list[int], p: int, budget: Number) -> Number:
    upto = selected[: selected.index(p) + 1]
    return exact(budget - _cost(profile, upto))
