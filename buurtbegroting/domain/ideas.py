"""Rules for ideas: the lifecycle, the checks at submission, and cost items to warn about."""

from __future__ import annotations

import enum
import re
from collections import namedtuple
from dataclasses import dataclass, field

from buurtbegroting.domain import DomainError

#: The author's own translation of an idea (a site language code and the three texts),
#: shown next to the text as written.
SecondLanguage = namedtuple("SecondLanguage", "language title summary description")


class IdeaStatus(enum.StrEnum):
    """Where an idea is in its life, from draft to accounted for."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    FUNDED = "funded"
    NOT_FUNDED = "not_funded"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ACCOUNTED = "accounted"


class Destination(enum.StrEnum):
    """How an idea wants to be funded: by a vote on a neighbourhood budget, or by cheques."""

    BUDGET_ROUND = "budget_round"
    CHEQUES = "cheques"


#: What the author may still change.
EDITABLE_STATUSES = frozenset({IdeaStatus.DRAFT, IdeaStatus.CHANGES_REQUESTED})
#: What the author may still withdraw.
WITHDRAWABLE_STATUSES = frozenset(
    {IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.CHANGES_REQUESTED}
)
#: Seen only by the author and staff.
PRIVATE_STATUSES = frozenset({IdeaStatus.DRAFT, IdeaStatus.WITHDRAWN})
#: Shown to everyone, in lifecycle order.
PUBLIC_STATUSES = [s for s in IdeaStatus if s not in PRIVATE_STATUSES]
#: Residents may support the idea.
SUPPORTABLE_STATUSES = frozenset({IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED})
#: The municipality reviews the idea.
REVIEWABLE_STATUSES = frozenset({IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW})
#: The owner may still change a cheque initiative's target, date and co-organisers.
SETUP_STATUSES = frozenset(
    {IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.CHANGES_REQUESTED}
)
#: The idea got its money (by a vote or by cheques).
FUNDED_STATUSES = frozenset(
    {IdeaStatus.FUNDED, IdeaStatus.IN_PROGRESS, IdeaStatus.COMPLETED, IdeaStatus.ACCOUNTED}
)


# Status values as plain strings, so this module needs no models.
DRAFT, SUBMITTED, IN_REVIEW, CHANGES_REQUESTED = (
    "draft",
    "submitted",
    "in_review",
    "changes_requested",
)
ACCEPTED, REJECTED, WITHDRAWN = "accepted", "rejected", "withdrawn"
FUNDED, NOT_FUNDED, IN_PROGRESS, COMPLETED, ACCOUNTED = (
    "funded",
    "not_funded",
    "in_progress",
    "completed",
    "accounted",
)

#: Which status may follow which.
TRANSITIONS: dict[str, set[str]] = {
    DRAFT: {SUBMITTED, WITHDRAWN},
    SUBMITTED: {IN_REVIEW, ACCEPTED, REJECTED, CHANGES_REQUESTED, WITHDRAWN},
    IN_REVIEW: {ACCEPTED, REJECTED, CHANGES_REQUESTED, WITHDRAWN},
    CHANGES_REQUESTED: {SUBMITTED, WITHDRAWN},
    ACCEPTED: {FUNDED, NOT_FUNDED},
    REJECTED: set(),
    WITHDRAWN: set(),
    # A recorded override after a vote: a winner is not carried out, the next idea moves up.
    FUNDED: {IN_PROGRESS, NOT_FUNDED},
    NOT_FUNDED: {FUNDED},
    IN_PROGRESS: {COMPLETED},
    COMPLETED: {ACCOUNTED},
    ACCOUNTED: set(),
}

#: Transitions that need a message (shown to the author, and for rejections to everyone).
MESSAGE_REQUIRED = {
    (SUBMITTED, REJECTED),
    (IN_REVIEW, REJECTED),
    (SUBMITTED, CHANGES_REQUESTED),
    (IN_REVIEW, CHANGES_REQUESTED),
    (FUNDED, NOT_FUNDED),
}


class InvalidTransition(DomainError):
    """The idea cannot move from its status to the one asked for."""


class MessageRequired(DomainError):
    """This step needs a message (a reason for a rejection, a request for changes)."""


def check_transition(current: str, target: str, message: str = "") -> None:
    """Raise unless an idea may go from ``current`` to ``target`` with this message."""
    if target not in TRANSITIONS.get(current, set()):
        raise InvalidTransition(f"{current} -> {target}")
    if (current, target) in MESSAGE_REQUIRED and not message.strip():
        raise MessageRequired(f"{current} -> {target}")


@dataclass(frozen=True)
class DestinationRules:
    """What an idea for one destination must meet."""

    min_cents: int = 0
    max_cents: int | None = None
    #: Supports needed before the municipality reviews the idea.
    min_supports: int = 0


@dataclass(frozen=True)
class Problem:
    """A reason why an idea cannot be submitted yet; ``code`` is translated by the app."""

    code: str
    params: dict = field(default_factory=dict)


def submission_problems(
    *,
    title: str,
    summary: str,
    has_theme: bool,
    cost_lines: int,
    total_cents: int,
    rules: DestinationRules,
) -> list[Problem]:
    """Return what stands in the way of submitting an idea (empty when it can be submitted)."""
    problems = []
    if not title.strip() or not summary.strip():
        problems.append(Problem("text_missing"))
    if not has_theme:
        problems.append(Problem("theme_missing"))
    if cost_lines == 0:
        problems.append(Problem("costs_missing"))
    else:
        if total_cents < rules.min_cents:
            problems.append(
                Problem("below_minimum", {"minimum": rules.min_cents, "total": total_cents})
            )
        if rules.max_cents is not None and total_cents > rules.max_cents:
            problems.append(
                Problem("above_maximum", {"maximum": rules.max_cents, "total": total_cents})
            )
    return problems


@dataclass(frozen=True)
class WarnRule:
    """A kind of cost item reviewers should look at: words to match, and an optional threshold."""

    code: str
    pattern: str
    above_cents: int = 0

    def matches(self, item: str, amount_cents: int) -> bool:
        """Tell whether a cost line falls under this rule."""
        return (
            amount_cents > self.above_cents
            and re.search(self.pattern, item, re.IGNORECASE) is not None
        )


#: The Ede Doet list: food and drink, costs already made, venue rent above €100.
DEFAULT_WARN_RULES = (
    WarnRule(
        "food_drink",
        r"\b(eten|drinken|drank|hapje|hapjes|lunch|diner|catering|koffie|thee|borrel|snoep|food|drinks?|snacks?)\b",
    ),
    WarnRule(
        "already_made",
        r"(al gemaakt|reeds gemaakt|vooraf betaald|al betaald|already (made|paid)|achteraf)",
    ),
    WarnRule(
        "venue_rent",
        r"(zaalhuur|huur (van )?(de |een )?zaal|ruimtehuur|venue|room rent|hall rent)",
        above_cents=10_000,
    ),
)


def cost_warnings(lines: list[tuple[str, int]], rules=DEFAULT_WARN_RULES) -> list[tuple[int, str]]:
    """Return (line index, rule code) for every cost line a reviewer should look at."""
    return [
        (i, rule.code)
        for i, (item, cents) in enumerate(lines)
        for rule in rules
        if rule.matches(item, cents)
    ]
