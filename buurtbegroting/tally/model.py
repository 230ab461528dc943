"""In-memory election, outcome and explanation types of the tally engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

Number = int | Fraction

VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal", "scoring")

#: Pabulib marks a project withdrawn after the vote with this cost.
WITHDRAWN_COST = 999_999_999


class PabulibError(ValueError):
    """Report a Pabulib file (or election) that cannot be read or counted.

    ``problems`` is a list of ``(line, reason)`` pairs; ``line`` is 0 when the problem
    is not tied to one line of a file.
    """

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = list(problems)
        shown = "; ".join(f"line {line}: {reason}" for line, reason in self.problems[:20])
        more = len(self.problems) - 20
        if more > 0:
            shown += f"; … and {more} more"
        super().__init__(shown)


def exact(value: Number) -> Number:
    """Return ``value`` as an int when it is integral, else as a Fraction."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not an amount")
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, float):
        raise TypeError("use int or Fraction for amounts, not float")
    frac = Fraction(value)
    return frac.numerator if frac.denominator == 1 else frac


@dataclass
class Project:
    """A project on the ballot: id, exact cost, name and the other columns of the file."""

    id: str
    cost: Number
    name: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_withdrawn(self) -> bool:
        """Tell whether the project was withdrawn after the vote (Pabulib cost 999999999)."""
        return self.cost == WITHDRAWN_COST


@dataclass
class Ballot:
    """One voter's ballot: project ids in order, optional points, and other columns."""

    voter_id: str
    choices: list[str]
    points: list[Number] | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Election:
    """A participatory-budgeting vote: META, projects in file order and ballots."""

    budget: Number
    vote_type: str
    projects: dict[str, Project]
    ballots: list[Ballot]
    meta: dict[str, str] = field(default_factory=dict)
    #: what lenient reading changed or tolerated, as (line, reason) pairs
    adjustments: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.projects, list | tuple):
            self.projects = {p.id: p for p in self.projects}


@dataclass
class ProjectExplanation:
    """Why one project was or was not selected, as a reason code plus numbers."""

    project_id: str
    cost: Number
    score: Number
    selected: bool
    reason: str
    step: int | None = None
    phase: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "project_id": self.project_id,
            "cost": json_number(self.cost),
            "score": json_number(self.score),
            "selected": self.selected,
            "step": self.step,
            "phase": self.phase,
            "reason": self.reason,
            "details": {k: json_value(v) for k, v in self.details.items()},
            "text": self.text,
        }


@dataclass
class Outcome:
    """The result of a tally: selected ids in order of selection and an explanation."""

    rule: str
    selected: list[str]
    total_cost: Number
    budget: Number
    explanation: dict[str, ProjectExplanation]
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "rule": self.rule,
            "selected": list(self.selected),
            "total_cost": json_number(self.total_cost),
            "budget": json_number(self.budget),
            "details": {k: json_value(v) for k, v in self.details.items()},
            "explanation": {pid: e.to_json() for pid, e in self.explanation.items()},
        }


def json_number(value: Any) -> Any:
    """Return an exact JSON rendering of a number.

    Integral values become ints; a fraction whose shortest float repr is exact (such as
    2215170.17) becomes that float; any other fraction becomes the string ``"p/q"``.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value
    frac = Fraction(value)
    if frac.denominator == 1:
        return frac.numerator
    as_float = float(frac)
    if Fraction(repr(as_float)) == frac:
        return as_float
    return f"{frac.numerator}/{frac.denominator}"


def json_value(value: Any) -> Any:
    """Return ``value`` with all numbers rendered by :func:`json_number`."""
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return json_number(value)


def format_amount(value: Any) -> str:
    """Return a short human-readable rendering of an amount."""
    if isinstance(value, float):
        return f"{value:,.2f}"
    frac = Fraction(value)
    if frac.denominator == 1:
        return f"{frac.numerator:,}"
    return f"{float(frac):,.2f}"
