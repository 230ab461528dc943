"""One run of the Method of Equal Shares at a fixed per-voter budget: the rounds of buying.

See :mod:`buurtbegroting.tally.mes` for the rule, its completions and the arithmetic
(float64 with a certified margin, exact fractions when a comparison is too close).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

from .model import Number, exact
from .profile import Profile

EPS = 1e-9


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
