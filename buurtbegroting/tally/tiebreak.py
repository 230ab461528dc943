"""Tie-breaking orders between projects.

- ``lexicographic`` (default): project ids compared as strings ("1640" < "842"), the
  order pabutools' ``lexico_tie_breaking`` uses.
- ``cheaper``: the cheaper project first; equal costs by id as strings.
- ``seed:N``: a published lot. Each project gets the SHA-256 hex digest of the UTF-8
  text ``"N:<project id>"``; the smaller digest wins (ids break the impossible tie).
  Anyone can recompute the order from the seed and the project ids.
- ``listed``: the order of the ballot, i.e. of the ``PROJECTS`` section of a ``.pb`` file;
  the earlier project wins. Real rounds broke ties at the budget boundary this way, so it
  reproduces their recorded selection.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from .model import Number

TieKey = Callable[[str, Number], Any]


TIE_BREAKS = ("lexicographic", "cheaper", "listed", "seed:N")


def tie_break_key(spec: str, listed: Sequence[str] = ()) -> TieKey:
    """Return a sort key ``key(project_id, cost)``: smaller wins a tie.

    :param listed: the project ids in ballot (file) order, for the ``listed`` tie-break.
    """
    if spec == "listed":
        position = {pid: i for i, pid in enumerate(listed)}
        return lambda pid, cost: (position.get(pid, len(position)), pid)
    if spec == "lexicographic":
        return lambda pid, cost: pid
    if spec == "cheaper":
        return lambda pid, cost: (cost, pid)
    if spec.startswith("seed:") and spec[5:].strip():
        seed = spec[5:].strip()
        return lambda pid, cost: (hashlib.sha256(f"{seed}:{pid}".encode()).hexdigest(), pid)
    raise ValueError(f"unknown tie-break {spec!r}: use lexicographic, cheaper, listed or seed:N")
