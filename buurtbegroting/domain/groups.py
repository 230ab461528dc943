"""Rules for thematic groups that need no database."""

from __future__ import annotations

from datetime import date


def group_has_ended(end_date: date | None, member_count: int, today: date) -> bool:
    """Tell whether a group has ended: its end date has passed, or its last member left."""
    if end_date is not None and end_date < today:
        return True
    return member_count == 0
