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


def subtree_ids(root_ids, edges) -> set[int]:
    """Return the given areas and every area below them.

    :param root_ids: one area id or an iterable of them.
    :param edges: (area id, parent id) pairs of the whole tree.
    """
    children: dict[int | None, list[int]] = {}
    for area_id, parent_id in edges:
        children.setdefault(parent_id, []).append(area_id)
    stack = [root_ids] if isinstance(root_ids, int) else list(root_ids)
    found: set[int] = set()
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def ancestor_ids(area_id: int, edges) -> list[int]:
    """Return the ids above an area, nearest first (its parent, then the parent's parent)."""
    parents = dict(edges)
    found: list[int] = []
    current = parents.get(area_id)
    while current is not None and current not in found:
        found.append(current)
        current = parents.get(current)
    return found
