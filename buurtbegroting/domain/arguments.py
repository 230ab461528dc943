"""Rules for arguments for and against an idea: when they are open, and what text is spam."""

from __future__ import annotations

import enum
import re

#: The longest argument, reply or report text.
MAX_LENGTH = 500
#: More links than this in one text is refused as spam.
MAX_LINKS = 2

_LINK = re.compile(r"(\bhttps?://|\bwww\.)\S+", re.IGNORECASE)

#: Idea statuses in which residents discuss the idea (submission and review, until the vote).
OPEN_STATUSES = frozenset({"submitted", "in_review", "changes_requested", "accepted"})


class ArgumentSide(enum.StrEnum):
    """Which side an argument takes."""

    FOR = "for"
    AGAINST = "against"


class ReportReason(enum.StrEnum):
    """Why an argument was reported (and, when hidden, the public reason)."""

    PERSONAL_ATTACK = "personal_attack"
    DISCRIMINATION = "discrimination"
    SPAM = "spam"
    PRIVATE_INFORMATION = "private_information"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


def link_count(text: str) -> int:
    """Return how many links (http://, https://, www.) the text holds."""
    return len(_LINK.findall(text or ""))


def is_link_spam(text: str) -> bool:
    """Tell whether the text holds more links than an argument needs."""
    return link_count(text) > MAX_LINKS


def is_open(status: str, voting_started: bool) -> bool:
    """Tell whether an idea takes new arguments: in submission or review, and not yet voted on."""
    return str(status) in OPEN_STATUSES and not voting_started


def wait_seconds(oldest_age_seconds: float, window_seconds: int) -> int:
    """Return how long to wait until the oldest counted act leaves the window."""
    return max(1, int(window_seconds - oldest_age_seconds) + 1)
