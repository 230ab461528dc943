"""Amounts of money typed by people, as integer euro cents."""

import re

from buurtbegroting.domain import DomainError

#: The largest amount one line may hold: € 1,000,000.
MAX_LINE_CENTS = 100_000_000


class InvalidAmount(DomainError):
    """The text is not an amount of money (or not a sensible one)."""

    def __init__(self, code: str):
        super().__init__(code)
        #: "format", "negative", "zero" or "too_large".
        self.code = code


def parse_cents(text: str, *, allow_zero: bool = False, maximum: int = MAX_LINE_CENTS) -> int:
    """Read "1.250,50", "1250,50", "1250.50", "€ 1.250" or "1,250.50" as cents.

    A separator followed by exactly three digits (and no other separator after it)
    groups thousands; otherwise the last separator is the decimal mark, with one or two
    decimals.
    """
    compact = re.sub(r"[\s\u00a0€]|EUR", "", (text or "").strip(), flags=re.IGNORECASE)
    if compact.startswith("-"):
        raise InvalidAmount("negative")
    compact = compact.removeprefix("+")
    if not compact or not re.fullmatch(r"[0-9.,]+", compact) or not compact[0].isdigit():
        raise InvalidAmount("format")
    separators = [i for i, ch in enumerate(compact) if ch in ".,"]
    euros_text, cents_text = compact, ""
    if separators:
        last = separators[-1]
        tail = compact[last + 1 :]
        kinds = {compact[i] for i in separators}
        if len(kinds) == 2 or len(tail) in (1, 2):
            # The last separator is the decimal mark.
            euros_text, cents_text = compact[:last], tail
            if not cents_text or len(cents_text) > 2:
                raise InvalidAmount("format")
        if euros_text:
            groups = re.split(r"[.,]", euros_text)
            if len(groups) > 1 and (
                len({euros_text[i] for i in range(len(euros_text)) if euros_text[i] in ".,"}) > 1
                or not 1 <= len(groups[0]) <= 3
                or any(len(g) != 3 for g in groups[1:])
            ):
                raise InvalidAmount("format")
            euros_text = "".join(groups)
    if not euros_text.isdigit():
        raise InvalidAmount("format")
    cents = int(euros_text) * 100 + (int(cents_text.ljust(2, "0")) if cents_text else 0)
    if cents == 0 and not allow_zero:
        raise InvalidAmount("zero")
    if cents > maximum:
        raise InvalidAmount("too_large")
    return cents


def format_cents_plain(cents: int) -> str:
    """Write cents the Dutch way without currency sign, as a form shows them: "1250,50"."""
    return f"{cents // 100},{cents % 100:02d}"
