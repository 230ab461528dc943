"""Greedy "most votes first": take each project that still fits, by descending score."""

from __future__ import annotations

from fractions import Fraction

from .model import Election, Number, Outcome, ProjectExplanation, exact, format_amount
from .profile import Profile, build_profile
from .tiebreak import TieKey, tie_break_key


def resolve_threshold(threshold: object, profile: Profile) -> tuple[Number | None, bool]:
    """Return the numeric threshold and whether it counts voters (a percentage) or score."""
    if threshold is None:
        return None, False
    if isinstance(threshold, str):
        text = threshold.strip()
        if text.endswith("%"):
            pct = Fraction(text[:-1].strip())
            return exact(pct * profile.n_voters / 100), True
        return exact(Fraction(text)), False
    if isinstance(threshold, float):
        threshold = Fraction(str(threshold))
    return exact(threshold), False


def withdrawn_explanations(election: Election, profile: Profile) -> dict[str, ProjectExplanation]:
    """Explain the projects withdrawn after the vote."""
    if profile.withdrawn and not profile.all_scores:
        from .profile import project_scores

        scores = project_scores(election)
    else:
        scores = profile.all_scores
    return {
        pid: ProjectExplanation(
            project_id=pid,
            cost=election.projects[pid].cost,
            score=scores[pid],
            selected=False,
            reason="withdrawn",
            details={"cost": election.projects[pid].cost},
            text="Withdrawn after the vote (cost 999999999 in the file); cannot be selected.",
        )
        for pid in profile.withdrawn
    }


def greedy(
    election: Election,
    *,
    tie_break: str = "lexicographic",
    threshold: object = None,
    no_skip: bool = False,
    profile: Profile | None = None,
) -> Outcome:
    """Select projects by descending score, skipping (or stopping at) those that do not fit."""
    profile = profile or build_profile(election)
    key = tie_break_key(tie_break, list(election.projects))
    limit, counts_voters = resolve_threshold(threshold, profile)
    explanation = withdrawn_explanations(election, profile)
    order = greedy_order(profile, key, by=profile.scores)
    remaining = exact(election.budget)
    selected: list[str] = []
    stopped_at: str | None = None
    for rank, i in enumerate(order, start=1):
        pid, cost, score = profile.ids[i], profile.costs[i], profile.scores[i]
        base = {"rank": rank, "cost": cost, "score": score}
        measured = profile.approvals[i] if counts_voters else score
        if limit is not None and measured < limit:
            what = "voters" if counts_voters else "score"
            explanation[pid] = ProjectExplanation(
                pid,
                cost,
                score,
                False,
                "below_threshold",
                details={**base, "threshold": limit, "threshold_on": what, "value": measured},
                text=f"Its {what} ({format_amount(measured)}) is below the threshold "
                f"({format_amount(limit)}).",
            )
            continue
        if stopped_at is not None:
            explanation[pid] = ProjectExplanation(
                pid,
                cost,
                score,
                False,
                "not_reached",
                details={**base, "stopped_at": stopped_at, "remaining_budget": remaining},
                text=f"Not considered: counting stopped at project {stopped_at}, "
                "which did not fit (no-skip rule).",
            )
            continue
        if cost <= remaining:
            remaining -= cost
            selected.append(pid)
            explanation[pid] = ProjectExplanation(
                pid,
                cost,
                score,
                True,
                "selected",
                step=len(selected),
                phase="greedy",
                details={**base, "remaining_budget_after": remaining},
                text=f"Selected as number {len(selected)} (rank {rank} by score); "
                f"{format_amount(remaining)} left afterwards.",
            )
        else:
            explanation[pid] = ProjectExplanation(
                pid,
                cost,
                score,
                False,
                "did_not_fit",
                details={**base, "remaining_budget": remaining},
                text=f"Did not fit: it costs {format_amount(cost)} but only "
                f"{format_amount(remaining)} was left when its turn came (rank {rank}).",
            )
            if no_skip:
                stopped_at = pid
    budget = exact(election.budget)
    details = {"tie_break": tie_break, "vote_type": election.vote_type}
    if limit is not None:
        details["threshold"] = limit
        details["threshold_on"] = "voters" if counts_voters else "score"
    if no_skip:
        details["no_skip"] = True
    return Outcome(
        rule="greedy-no-skip" if no_skip else "greedy",
        selected=selected,
        total_cost=exact(budget - remaining),
        budget=budget,
        explanation={pid: explanation[pid] for pid in election.projects},
        details=details,
    )


def greedy_order(profile: Profile, key: TieKey, by: list[Number]) -> list[int]:
    """Return project indices by descending ``by``, ties broken by ``key``."""
    return sorted(
        range(len(profile.ids)),
        key=lambda i: (-by[i], key(profile.ids[i], profile.costs[i])),
    )
