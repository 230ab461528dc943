"""Run pabutools (the reference implementation) the way the tally engine's rules mean.

Used by the tests, ``scripts/make_tally_fixtures.py`` and ``bench/tally.py``. Never
imported by the package itself.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

from pabutools.election import (
    AbstractApprovalProfile,
    AbstractCardinalProfile,
    AbstractOrdinalProfile,
    Cardinality_Sat,
    Cost_Sat,
)
from pabutools.election.pabulib import parse_pabulib, parse_pabulib_from_string
from pabutools.election.satisfaction import AdditiveSatisfaction
from pabutools.rules import (
    completion_by_rule_combination,
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)
from pabutools.tiebreaking import TieBreakingRule, lexico_tie_breaking


def load(path: str | None = None, text: str | None = None):
    """Parse a Pabulib file (path or text) with pabutools' own parser."""
    if path is not None:
        return parse_pabulib(path)
    return parse_pabulib_from_string(text)


def tie_breaking(spec: str) -> TieBreakingRule:
    """Return the pabutools tie-breaking rule equal to our ``tie_break`` spec."""
    if spec == "lexicographic":
        return lexico_tie_breaking
    if spec == "cheaper":
        return TieBreakingRule(lambda inst, prof, proj: (Fraction(proj.cost), proj.name))
    seed = spec.split(":", 1)[1].strip()
    return TieBreakingRule(
        lambda inst, prof, proj: (
            hashlib.sha256(f"{seed}:{proj.name}".encode()).hexdigest(),
            proj.name,
        )
    )


def _ordinal_k(instance, profile) -> int:
    raw = instance.meta.get("max_length")
    if raw:
        return int(Fraction(raw))
    return max((len(b) for b in profile), default=0)


def greedy_sat_class(instance, profile):
    """Return a satisfaction class whose greedy density is our greedy score."""
    if isinstance(profile, AbstractApprovalProfile):
        return Cost_Sat
    if isinstance(profile, AbstractCardinalProfile):

        def points(inst, prof, ballot, project, pre):
            return ballot.get(project, 0) * project.cost

        class PointsSat(AdditiveSatisfaction):
            def __init__(self, inst, prof, ballot):
                super().__init__(inst, prof, ballot, points)

        return PointsSat
    if isinstance(profile, AbstractOrdinalProfile):
        k = _ordinal_k(instance, profile)

        def positional(inst, prof, ballot, project, pre):
            if project not in ballot:
                return 0
            return (k - ballot.position(project)) * project.cost

        class PositionalSat(AdditiveSatisfaction):
            def __init__(self, inst, prof, ballot):
                super().__init__(inst, prof, ballot, positional)

        return PositionalSat
    raise ValueError("unsupported profile")


def scores(instance, profile) -> dict[str, Fraction]:
    """Return each project's score: approvals, sum of points or positional score."""
    result = {p.name: Fraction(0) for p in instance}
    k = _ordinal_k(instance, profile) if isinstance(profile, AbstractOrdinalProfile) else 0
    for ballot in profile:
        for p in ballot:
            if isinstance(profile, AbstractCardinalProfile):
                result[p.name] += Fraction(ballot[p])
            elif isinstance(profile, AbstractOrdinalProfile):
                result[p.name] += k - ballot.position(p)
            else:
                result[p.name] += 1
    return result


def greedy(instance, profile, tie_break="lexicographic", threshold=None):
    """Greedy by score; ``threshold`` drops projects whose score is below it."""
    sat = greedy_sat_class(instance, profile)
    if threshold is not None:
        score = scores(instance, profile)
        kept = [p for p in instance if score[p.name] >= Fraction(threshold)]
        instance = instance.__class__(kept, budget_limit=instance.budget_limit)
    result = greedy_utilitarian_welfare(
        instance, profile, sat_class=sat, tie_breaking=tie_breaking(tie_break)
    )
    return [p.name for p in result]


def equal_shares(instance, profile, utility="cost", completion="add1", tie_break="lexicographic"):
    """MES as pabutools composes it; returns (add1-only or plain) and completed outcomes."""
    sat = Cost_Sat if utility == "cost" else Cardinality_Sat
    tb = tie_breaking(tie_break)
    params = {"sat_class": sat, "tie_breaking": tb}
    if completion in ("add1", "add1-only"):
        first = exhaustion_by_budget_increase(
            instance,
            profile,
            method_of_equal_shares,
            dict(params),
            budget_step=profile.num_ballots(),
        )
    else:
        first = method_of_equal_shares(instance, profile, **params)
    if completion in ("none", "add1-only"):
        return [p.name for p in first]
    done = completion_by_rule_combination(
        instance,
        profile,
        [greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "tie_breaking": tb}],
        initial_budget_allocation=first,
    )
    return [p.name for p in done]


def phragmen(instance, profile, tie_break="lexicographic"):
    """Sequential Phragmén."""
    return [
        p.name for p in sequential_phragmen(instance, profile, tie_breaking=tie_breaking(tie_break))
    ]


def complete_greedily(instance, profile, selected_names, tie_break="lexicographic"):
    """Complete an outcome greedily by votes, as pabutools' rule combination does."""
    chosen = [p for p in instance if p.name in set(selected_names)]
    done = completion_by_rule_combination(
        instance,
        profile,
        [greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat, "tie_breaking": tie_breaking(tie_break)}],
        initial_budget_allocation=chosen,
    )
    return [p.name for p in done]
