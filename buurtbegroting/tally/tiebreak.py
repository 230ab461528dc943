"""Tie-breaking orders between projects.

- ``lexicographic`` (default): project ids compared as strings ("1640" < "842"), the
  order pabutools' ``lexico_tie_breaking`` uses.
- ``cheaper``: the cheaper project first; equal costs by id as strings.
- ``seed:N``: a published lot. Each project gets the SHA-256 hex digest of the UTF-8
  text ``"N:<project id>"``; the smaller digest wins (ids break the impossible tie).
  Anyone can recompute the order from the seed and the project ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from .model import Number

TieKey = Callable[[str, Number], Any]


def tie_break_key(spec: str) -> TieKey:
    """Return a sort key ``key(project_id, cost)``: smaller wins a tie."""
    if spec == "lexicographic":
        return lambda pid, cost: pid
    if spec == "cheaper":
        return lambda pid, cost: (cost, pid)
    if spec.startswith("seed:") and spec[5:].strip():
        seed = spec[5:].strip()
        return lambda pid, cost: (hashlib.sha256(f"{seed}:{pid}".encode()).hexdigest(), pid)
    raise ValueError(f"unknown tie-break {spec!r}: use lexicographic, cheaper or seed:N")
