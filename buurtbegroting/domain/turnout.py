"""Turnout figures that are safe to publish: age bands and small-cell suppression."""

from __future__ import annotations

from datetime import date

#: Age bands of the evaluation pack: (lowest age, highest age or None).
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (12, 17),
    (18, 29),
    (30, 44),
    (45, 64),
    (65, None),
)

#: Cells with fewer voters than this are not shown: a small group could be recognised.
MIN_CELL = 10


def age_on(birth: date, day: date) -> int:
    """Return the age in whole years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(birth: date, day: date) -> tuple[int, int | None] | None:
    """Return the band of someone born on ``birth`` on ``day``; None below the lowest band."""
    age = age_on(birth, day)
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return low, high
    return None


def suppress(count: int, minimum: int = MIN_CELL) -> int | None:
    """Return ``count``, or None when it is below ``minimum`` (but not zero)."""
    return count if count == 0 or count >= minimum else None


def suppress_row(counts: list[int], minimum: int = MIN_CELL) -> list[int | None]:
    """Suppress small cells of a row whose total is published elsewhere.

    Cells under ``minimum`` (but not zero) are hidden. When that hides exactly one cell, the
    total would give it away, so the smallest other non-zero cell is hidden too.
    """
    shown: list[int | None] = [suppress(n, minimum) for n in counts]
    hidden = [i for i, value in enumerate(shown) if value is None]
    if len(hidden) == 1:
        others = [i for i, n in enumerate(counts) if n and shown[i] is not None]
        if others:
            shown[min(others, key=lambda i: counts[i])] = None
    return shown
