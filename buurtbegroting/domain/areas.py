"""Postcodes and CBS area codes."""

import re

from buurtbegroting.domain import DomainError

_PC6 = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
_PC4 = re.compile(r"^[1-9][0-9]{3}$")
# Letter pairs the post never uses in a PC6.
_UNUSED_LETTERS = {"SA", "SD", "SS"}

CODE_PATTERNS = {
    "municipality": re.compile(r"^GM[0-9]{4}$"),
    "district": re.compile(r"^WK[0-9]{6}$"),
    "neighbourhood": re.compile(r"^BU[0-9]{4}[0-9A-Z]{4}$"),
}


class InvalidPostcode(DomainError):
    """The text is not a Dutch postcode."""


class InvalidAreaCode(DomainError):
    """The text is not a CBS area code."""


def normalize_postcode(text: str) -> str:
    """Return a postcode as PC6 ("5341AB") or PC4 ("5341"); accept any case and spaces."""
    compact = re.sub(r"[\s-]+", "", text or "").upper()
    if _PC4.match(compact):
        return compact
    if _PC6.match(compact) and compact[4:] not in _UNUSED_LETTERS:
        return compact
    raise InvalidPostcode(text)


def format_postcode(postcode: str) -> str:
    """Show a normalised postcode the Dutch way: "5341 AB"."""
    return f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode


def level_for_code(code: str) -> str:
    """Return the level ("municipality", "district", "neighbourhood") of a CBS code."""
    normalized = (code or "").strip().upper()
    for level, pattern in CODE_PATTERNS.items():
        if pattern.match(normalized):
            return level
    raise InvalidAreaCode(code)


def expected_parent_level(level: str) -> str | None:
    """Return the level a parent of an area at ``level`` must have."""
    return {"municipality": None, "district": "municipality", "neighbourhood": "district"}[level]
