"""Read and write the Pabulib file format (sections META, PROJECTS and VOTES).

Reading is strict by default: every problem (unknown project, a ballot that breaks a
META limit, a malformed number, a project named twice in one ballot …) is collected
and raised together as a :class:`PabulibError` carrying ``(line, reason)`` pairs.
With ``lenient=True`` the problems that real files are known to contain are tolerated
and reported in ``Election.adjustments`` instead:

- a project named twice in one ballot counts once, at its first position (with the
  points of its first occurrence);
- a ballot that breaks a META limit (length, points, cost) is kept as cast;
- ``num_projects``/``num_votes`` in META that disagree with the sections.

Unknown project ids, malformed numbers and a missing budget stay errors: no count
could be made from them.
"""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction
from pathlib import Path

from .model import VOTE_TYPES, Ballot, Election, Number, PabulibError, Project

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_RATIO = re.compile(r"^[+-]?\d+/\d+$")
SECTIONS = ("meta", "projects", "votes")


def parse_number(text: str) -> Number:
    """Parse a decimal (or ``p/q``) string exactly; raise ValueError otherwise."""
    s = text.strip()
    if not (_NUMBER.match(s) or _RATIO.match(s)):
        raise ValueError(f"not a number: {text!r}")
    frac = Fraction(s)
    return frac.numerator if frac.denominator == 1 else frac


def format_number(value: Number) -> str:
    """Write a number exactly: an integer, a terminating decimal, or ``p/q``."""
    frac = Fraction(value)
    if frac.denominator == 1:
        return str(frac.numerator)
    den = frac.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{frac.numerator}/{frac.denominator}"
    digits = max(twos, fives)
    scaled = frac * 10**digits
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled.numerator), 10**digits)
    return f"{sign}{whole}.{part:0{digits}d}"


def read_pb(path: str | Path, *, lenient: bool = False) -> Election:
    """Read a Pabulib file from disk."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    return parse_pb(text, lenient=lenient)


def parse_pb(text: str, *, lenient: bool = False) -> Election:
    """Parse the text of a Pabulib file into an :class:`Election`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    problems: list[tuple[int, str]] = []
    adjustments: list[tuple[int, str]] = []
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    project_rows: list[tuple[int, list[str]]] = []
    vote_rows: list[tuple[int, list[str]]] = []
    headers: dict[str, tuple[int, list[str]]] = {}

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    section = None
    expect_header = False
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            first = row[0].strip().lower()
            if first in SECTIONS and len([c for c in row if c.strip()]) == 1:
                if first in headers or (first == section):
                    problems.append((line, f"section {first.upper()} appears twice"))
                section = first
                expect_header = True
                continue
            if section is None:
                problems.append((line, "text before the META section"))
                continue
            if expect_header:
                headers[section] = (line, [c.strip() for c in row])
                expect_header = False
                continue
            if section == "meta":
                if len(row) < 2:
                    problems.append((line, "META row needs a key and a value"))
                    continue
                key = row[0].strip()
                if key in meta:
                    problems.append((line, f"META key {key!r} appears twice"))
                meta[key] = ";".join(row[1:]).strip() if len(row) > 2 else row[1].strip()
                meta_lines[key] = line
            elif section == "projects":
                project_rows.append((line, row))
            else:
                vote_rows.append((line, row))
    except csv.Error as exc:
        raise PabulibError([(reader.line_num, f"unreadable CSV: {exc}")]) from exc

    for name in SECTIONS:
        if name not in headers:
            problems.append((0, f"section {name.upper()} is missing"))
    if problems:
        raise PabulibError(problems)

    budget: Number = 0
    if "budget" not in meta:
        problems.append((headers["meta"][0], "META has no budget"))
    else:
        try:
            budget = parse_number(meta["budget"])
            if budget < 0:
                raise ValueError("the budget is negative")
        except ValueError as exc:
            problems.append((meta_lines["budget"], f"budget: {exc}"))
    vote_type = meta.get("vote_type", "")
    if vote_type not in VOTE_TYPES:
        problems.append(
            (meta_lines.get("vote_type", headers["meta"][0]), f"unknown vote_type {vote_type!r}")
        )
    limits = _read_limits(meta, meta_lines, problems)

    projects = _read_projects(headers["projects"], project_rows, problems)
    ballots = _read_votes(
        headers["votes"], vote_rows, projects, vote_type, limits, lenient, problems, adjustments
    )
    for key, count in (("num_projects", len(projects)), ("num_votes", len(ballots))):
        if key in meta:
            message = f"META {key} is {meta[key]} but the file has {count}"
            if meta[key].strip() != str(count):
                (adjustments if lenient else problems).append((meta_lines[key], message))
    if problems:
        raise PabulibError(sorted(problems, key=lambda p: p[0]))
    return Election(
        budget=budget,
        vote_type=vote_type,
        projects=projects,
        ballots=ballots,
        meta=meta,
        adjustments=adjustments,
    )


_LIMIT_KEYS = (
    "min_length",
    "max_length",
    "min_sum_cost",
    "max_sum_cost",
    "min_points",
    "max_points",
    "min_sum_points",
    "max_sum_points",
)


def _read_limits(
    meta: dict[str, str], meta_lines: dict[str, int], problems: list[tuple[int, str]]
) -> dict[str, Number]:
    limits: dict[str, Number] = {}
    for key in _LIMIT_KEYS:
        if key in meta and meta[key].strip() and meta[key].strip().lower() != "none":
            try:
                limits[key] = parse_number(meta[key])
            except ValueError as exc:
                problems.append((meta_lines[key], f"{key}: {exc}"))
    return limits


def _read_projects(
    header: tuple[int, list[str]],
    rows: list[tuple[int, list[str]]],
    problems: list[tuple[int, str]],
) -> dict[str, Project]:
    header_line, columns = header
    missing = [(header_line, f"PROJECTS has no {c} column") for c in ("project_id", "cost")]
    missing = [m for m, c in zip(missing, ("project_id", "cost"), strict=True) if c not in columns]
    if missing:
        raise PabulibError(problems + missing)
    projects: dict[str, Project] = {}
    for line, row in rows:
        if len(row) != len(columns):
            problems.append((line, f"expected {len(columns)} fields, found {len(row)}"))
            continue
        values = dict(zip(columns, row, strict=True))
        pid = values.pop("project_id").strip()
        if not pid:
            problems.append((line, "empty project_id"))
            continue
        if pid in projects:
            problems.append((line, f"project {pid!r} appears twice"))
            continue
        try:
            cost = parse_number(values.pop("cost"))
            if cost < 0:
                raise ValueError("negative cost")
        except ValueError as exc:
            problems.append((line, f"cost of project {pid!r}: {exc}"))
            continue
        name = values.pop("name", "")
        projects[pid] = Project(id=pid, cost=cost, name=name, extra=values)
    return projects


def _read_votes(
    header: tuple[int, list[str]],
    rows: list[tuple[int, list[str]]],
    projects: dict[str, Project],
    vote_type: str,
    limits: dict[str, Number],
    lenient: bool,
    problems: list[tuple[int, str]],
    adjustments: list[tuple[int, str]],
) -> list[Ballot]:
    header_line, columns = header
    for needed in ("voter_id", "vote"):
        if needed not in columns:
            problems.append((header_line, f"VOTES has no {needed} column"))
    if vote_type in ("cumulative", "scoring") and "points" not in columns:
        problems.append((header_line, f"VOTES of a {vote_type} vote need a points column"))
    if any(reason for line, reason in problems if line == header_line):
        raise PabulibError(problems)
    has_points = "points" in columns
    ncols = len(columns)
    i_voter = columns.index("voter_id")
    i_vote = columns.index("vote")
    i_points = columns.index("points") if has_points else -1
    other = [(i, c) for i, c in enumerate(columns) if c not in ("voter_id", "vote", "points")]
    costs = {pid: p.cost for pid, p in projects.items()}
    min_len = limits.get("min_length")
    max_len = limits.get("max_length")
    if vote_type == "choose-1":
        max_len = 1 if max_len is None else min(max_len, 1)
    # length limits are checked inline; the rest needs the full check on every ballot
    check_all = bool(set(limits) - {"min_length", "max_length"})
    seen_voters: set[str] = set()
    ballots: list[Ballot] = []
    for line, row in rows:
        if len(row) != ncols:
            problems.append((line, f"expected {ncols} fields, found {len(row)}"))
            continue
        voter = row[i_voter].strip()
        if voter in seen_voters:
            problems.append((line, f"voter_id {voter!r} appears twice"))
        seen_voters.add(voter)
        raw = row[i_vote].strip()
        choices = [c.strip() for c in raw.split(",")] if raw else []
        points: list[Number] | None = None
        if has_points:
            raw_points = row[i_points].strip()
            if raw_points or choices:
                try:
                    points = [parse_number(x) for x in raw_points.split(",")] if raw_points else []
                except ValueError as exc:
                    problems.append((line, f"points: {exc}"))
                    continue
                if len(points) != len(choices):
                    problems.append(
                        (line, f"{len(choices)} projects in vote but {len(points)} points")
                    )
                    continue
            else:
                points = []
        unknown = [c for c in choices if c not in costs]
        if unknown:
            problems.append((line, f"unknown project(s) {', '.join(map(repr, unknown))}"))
            continue
        if len(set(choices)) != len(choices):
            dupes = sorted({c for c in choices if choices.count(c) > 1})
            if not lenient:
                problems.append((line, f"project(s) {', '.join(dupes)} named twice in one ballot"))
                continue
            keep = [i for i, c in enumerate(choices) if choices.index(c) == i]
            choices = [choices[i] for i in keep]
            if points is not None:
                points = [points[i] for i in keep]
            adjustments.append(
                (line, f"duplicate project(s) {', '.join(dupes)} counted once, at first rank")
            )
        n_chosen = len(choices)
        violation = (
            _check_limits(choices, points, costs, limits, min_len, max_len, vote_type)
            if check_all
            or (min_len is not None and 0 < n_chosen < min_len)
            or (max_len is not None and n_chosen > max_len)
            else None
        )
        if violation:
            (adjustments if lenient else problems).append((line, violation))
            if not lenient:
                continue
        extra = {c: row[i] for i, c in other}
        ballots.append(Ballot(voter_id=voter, choices=choices, points=points, extra=extra))
    return ballots


def _check_limits(
    choices: list[str],
    points: list[Number] | None,
    costs: dict[str, Number],
    limits: dict[str, Number],
    min_len: Number | None,
    max_len: Number | None,
    vote_type: str,
) -> str | None:
    n = len(choices)
    if min_len is not None and n < min_len and n > 0:
        return f"{n} projects chosen, fewer than min_length {min_len}"
    if max_len is not None and n > max_len:
        return f"{n} projects chosen, more than max_length {max_len}"
    if vote_type in ("approval", "choose-1") and (
        "max_sum_cost" in limits or "min_sum_cost" in limits
    ):
        total = sum(costs[c] for c in choices)
        if "max_sum_cost" in limits and total > limits["max_sum_cost"]:
            return f"chosen projects cost {total}, more than max_sum_cost {limits['max_sum_cost']}"
        if "min_sum_cost" in limits and n > 0 and total < limits["min_sum_cost"]:
            return f"chosen projects cost {total}, less than min_sum_cost {limits['min_sum_cost']}"
    if points is not None and vote_type in ("cumulative", "scoring", "ordinal"):
        for value in points:
            if "max_points" in limits and value > limits["max_points"]:
                return f"{value} points on one project, more than max_points {limits['max_points']}"
            if "min_points" in limits and value < limits["min_points"]:
                return f"{value} points on one project, less than min_points {limits['min_points']}"
        total = sum(points)
        if "max_sum_points" in limits and total > limits["max_sum_points"]:
            return f"{total} points in total, more than max_sum_points {limits['max_sum_points']}"
        if "min_sum_points" in limits and n > 0 and total < limits["min_sum_points"]:
            return f"{total} points in total, less than min_sum_points {limits['min_sum_points']}"
    return None


class _Writer:
    """Write ``;``-separated rows, quoting any field with ``;``, a quote, CR or LF."""

    def __init__(self, out: io.StringIO):
        self.out = out

    def writerow(self, fields: list[str]) -> None:
        self.out.write(";".join(_quote(f) for f in fields) + "\n")


_NEEDS_QUOTES = re.compile(r'[;"\r\n]')


def _quote(field: str) -> str:
    if _NEEDS_QUOTES.search(field):
        return '"' + field.replace('"', '""') + '"'
    return field


def _same_number(text: str | None, value: Number) -> bool:
    try:
        return text is not None and parse_number(text) == value
    except ValueError:
        return False


def write_pb(election: Election) -> str:
    """Write an election as Pabulib text (LF line endings, exact numbers)."""
    out = io.StringIO()
    writer = _Writer(out)
    meta = dict(election.meta)
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(len(election.ballots))
    if not _same_number(meta.get("budget"), election.budget):
        meta["budget"] = format_number(election.budget)
    meta["vote_type"] = election.vote_type
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    p_extra: list[str] = []
    for project in election.projects.values():
        for key in project.extra:
            if key not in p_extra:
                p_extra.append(key)
    writer.writerow(["project_id", "cost", "name", *p_extra])
    for project in election.projects.values():
        writer.writerow(
            [
                project.id,
                format_number(project.cost),
                project.name,
                *(project.extra.get(k, "") for k in p_extra),
            ]
        )
    out.write("VOTES\n")
    with_points = election.vote_type in ("cumulative", "scoring") or any(
        b.points is not None for b in election.ballots
    )
    v_extra: list[str] = []
    for ballot in election.ballots:
        for key in ballot.extra:
            if key not in v_extra:
                v_extra.append(key)
    writer.writerow(["voter_id", "vote", *(["points"] if with_points else []), *v_extra])
    for ballot in election.ballots:
        row = [ballot.voter_id, ",".join(ballot.choices)]
        if with_points:
            row.append(",".join(format_number(p) for p in ballot.points or []))
        row.extend(ballot.extra.get(k, "") for k in v_extra)
        writer.writerow(row)
    return out.getvalue()
