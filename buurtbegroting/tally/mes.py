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

from fractions import Fraction
from math import floor

from .greedy import withdrawn_explanations
from .mes_run import MesRun, MesSetup
from .model import Election, Number, Outcome, ProjectExplanation, exact, format_amount
from .profile import Profile, build_profile
from .tiebreak import tie_break_key

#: none: plain MES; greedy: MES then greedy by votes; add1: add1 then greedy by votes
#: (equalshares.net, pabutools' rule combination); add1-only: add1 without the greedy step
COMPLETIONS = ("none", "greedy", "add1", "add1-only")


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
    key = tie_break_key(tie_break, list(election.projects))
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
