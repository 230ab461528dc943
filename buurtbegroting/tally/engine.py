"""The rule registry and the ``tally`` entry point."""

from __future__ import annotations

from typing import Any

from .greedy import greedy
from .mes import equal_shares
from .model import Election, Outcome, PabulibError
from .phragmen import phragmen
from .profile import build_profile

RULES = {"greedy": greedy, "equal-shares": equal_shares, "phragmen": phragmen}

#: META ``rule`` values this engine reproduces, as tally() keyword arguments
META_RULES: dict[str, dict[str, Any]] = {
    "greedy": {"rule": "greedy"},
    "greedy-threshold": {"rule": "greedy"},
    "greedy-no-skip": {"rule": "greedy", "no_skip": True},
    "equalshares": {"rule": "equal-shares", "completion": "none"},
    # Assen 2024 (the one real file with this rule) did not spend the leftover greedily
    "equalshares/add1": {"rule": "equal-shares", "completion": "add1-only"},
    "phragmen": {"rule": "phragmen"},
}

#: The outcome rules a budget round can choose, by the round's rule value (``OutcomeRule``):
#: the tally() arguments, and the META ``rule`` written to its Pabulib file (without and
#: with a minimum-score threshold). The one place where round settings meet engine names.
ROUND_RULES: dict[str, dict[str, Any]] = {
    "greedy": {
        "tally": {"rule": "greedy"},
        "meta": "greedy",
        "meta_with_threshold": "greedy-threshold",
        "threshold": True,
    },
    "equal_shares": {
        "tally": {"rule": "equal-shares", "utility": "cost", "completion": "add1"},
        "meta": "equalshares/add1",
        "meta_with_threshold": "equalshares/add1",
        "threshold": False,
    },
}


def tally(
    election: Election,
    rule: str = "greedy",
    utility: str = "cost",
    completion: str = "add1",
    tie_break: str = "lexicographic",
    threshold: object = None,
    no_skip: bool = False,
) -> Outcome:
    """Compute the outcome of ``election`` under ``rule``."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}: use {', '.join(RULES)}")
    profile = build_profile(election)
    if rule == "greedy":
        return greedy(
            election, tie_break=tie_break, threshold=threshold, no_skip=no_skip, profile=profile
        )
    if threshold is not None or no_skip:
        raise ValueError("threshold and no_skip apply to the greedy rule only")
    if rule == "equal-shares":
        return equal_shares(
            election, utility=utility, completion=completion, tie_break=tie_break, profile=profile
        )
    return phragmen(election, tie_break=tie_break, profile=profile)


def meta_rule(election: Election) -> dict[str, Any]:
    """Return tally() arguments for the rule named in META; raise PabulibError if unknown."""
    name = election.meta.get("rule", "").strip()
    if name not in META_RULES:
        known = ", ".join(META_RULES)
        raise PabulibError(
            [(0, f"META rule {name or '(none)'!r} is not supported (known: {known}); pass --rule")]
        )
    args = dict(META_RULES[name])
    raw = election.meta.get("min_project_score_threshold", "").strip()
    if args["rule"] == "greedy" and raw and raw.lower() != "none":
        args["threshold"] = raw
    return args
