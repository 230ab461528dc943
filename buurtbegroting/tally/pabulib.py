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

Speed: the VOTES rows are split with string methods (the CSV reader only reads lines
with a quote, and the whole section when a line could be a section marker or line ends
are mixed), and a file without any problem is checked in bulk; at the first sign of one,
the rows are read one by one, which reports every problem with its line.

The plain path is the reference: reading every row with the CSV reader, one by one,
defines what a file means. The fast paths must give the same election or the same
problems (tests/tally/test_tally_pabulib.py checks every way of reading against it).
This module stays whole, over the size of the others: it is pure, tuned and tested as
one unit, and splitting it would scatter the one reading of the format.
"""

from __future__ import annotations

import ast
import csv
import gc
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from operator import itemgetter
from pathlib import Path

import numpy as np

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
    # a big file makes a few hundred thousand lists and dicts that all stay alive: the
    # cyclic garbage collector would scan them again and again (half the parsing time)
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, lenient)
    finally:
        if paused:
            gc.enable()


def _parse(text: str, lenient: bool) -> Election:
    if text.startswith("\ufeff"):
        text = text[1:]
    sections = _Sections()
    handle = io.StringIO(text, newline="")
    if sections.scan(csv.reader(handle, delimiter=";"), stop_at_votes=True):
        # the rest is VOTES rows: split them quickly, unless the text needs the CSV scan
        base = sections.headers["votes"][0]
        rest = handle.read()
        if not sections.split_votes(rest, base):
            sections.scan(csv.reader(io.StringIO(rest, newline=""), delimiter=";"), offset=base)
    problems, meta, headers = sections.problems, sections.meta, sections.headers
    meta_lines = sections.meta_lines
    adjustments: list[tuple[int, str]] = []

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

    projects = _read_projects(headers["projects"], sections.project_rows, problems)
    ballots = _read_votes(
        headers["votes"],
        sections.vote_lines,
        sections.vote_rows,
        sections.vote_flat,
        projects,
        vote_type,
        limits,
        lenient,
        problems,
        adjustments,
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


#: a line that could be a section marker (a superset of what the CSV scan treats as one:
#: only ASCII letters lower-case to these; search in the text after a line feed)
_MARKER = re.compile(
    r"\n\s*(?:[mM][eE][tT][aA]|[pP][rR][oO][jJ][eE][cC][tT][sS]|[vV][oO][tT][eE][sS])"
    r"\s*(?:;\s*)*(?:\n|$)"
)
#: physical lines of LF-only text, each with its line feed
_LF_LINES = re.compile(r"[^\n]*\n|[^\n]+")


class _Sections:
    """The rows of a Pabulib file sorted into its sections, with their line numbers."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.headers: dict[str, tuple[int, list[str]]] = {}
        self.project_rows: list[tuple[int, list[str]]] = []
        self.vote_lines: list[int] | range = []
        #: the VOTES rows, or None when ``vote_flat`` holds all their fields in one list
        self.vote_rows: list[list[str]] | None = []
        self.vote_flat: list[str] | None = None
        self.section: str | None = None
        self.expect_header = False

    def scan(self, reader, *, offset: int = 0, stop_at_votes: bool = False) -> bool:
        """Sort the rows of a CSV reader into sections (line numbers shifted by ``offset``).

        With ``stop_at_votes``, stop right after the VOTES header when META and PROJECTS
        came before it, and return True; the caller then reads the votes itself.
        """
        problems, meta, headers = self.problems, self.meta, self.headers
        try:
            for row in reader:
                line = offset + reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                first = row[0].strip().lower()
                if first in SECTIONS and len([c for c in row if c.strip()]) == 1:
                    if first in headers or (first == self.section):
                        problems.append((line, f"section {first.upper()} appears twice"))
                    self.section = first
                    self.expect_header = True
                    continue
                if self.section is None:
                    problems.append((line, "text before the META section"))
                    continue
                if self.expect_header:
                    headers[self.section] = (line, [c.strip() for c in row])
                    self.expect_header = False
                    if stop_at_votes and self.section == "votes" and len(headers) == 3:
                        return True
                    continue
                if self.section == "meta":
                    if len(row) < 2:
                        problems.append((line, "META row needs a key and a value"))
                        continue
                    key = row[0].strip()
                    if key in meta:
                        problems.append((line, f"META key {key!r} appears twice"))
                    meta[key] = ";".join(row[1:]).strip() if len(row) > 2 else row[1].strip()
                    self.meta_lines[key] = line
                elif self.section == "projects":
                    self.project_rows.append((line, row))
                else:
                    assert self.vote_rows is not None and isinstance(self.vote_lines, list)
                    self.vote_lines.append(line)
                    self.vote_rows.append(row)
        except csv.Error as exc:
            raise PabulibError([(offset + reader.line_num, f"unreadable CSV: {exc}")]) from exc
        return False

    def split_votes(self, rest: str, base: int) -> bool:
        """Split the rows after the VOTES header (line ``base``) with string methods.

        Gives the same rows and line numbers as the CSV reader: lines with a quote go
        through the CSV reader (a quoted field may span lines). Without any quote, when
        every line has all the columns (checked with numpy on the separators), all
        fields are split at once into ``vote_flat`` instead of rows. Return False, having
        read nothing, when the text needs the full scan: a line that may be a section
        marker, a lone carriage return, a carriage return next to a quote, or a line
        longer than the CSV field limit.
        """
        quoted = '"' in rest
        if "\r" in rest:
            if quoted or rest.count("\r") != rest.count("\r\n"):
                return False
            rest = rest.replace("\r\n", "\n")
        if quoted:
            # the CSV reader only drops quote characters, so a marker survives their removal
            plain = rest.replace('"', "").lower()
            if any(name in plain for name in SECTIONS):
                return False
        elif _MARKER.search("\n" + rest):
            return False
        limit = csv.field_size_limit()
        if not quoted:
            if rest and not rest.endswith("\n"):
                rest += "\n"
            n_lines = rest.count("\n")
            self.vote_lines = range(base + 1, base + 1 + n_lines)
            # one byte per character: only the positions of ";" and line feeds matter
            codes = np.frombuffer(rest.encode("latin-1", "replace"), dtype=np.uint8)
            ends = np.flatnonzero(codes == 10)
            if len(ends) and int(np.diff(ends, prepend=-1).max()) > limit:
                return False
            separators = codes[(codes == 59) | (codes == 10)]
            ncols = len(self.headers["votes"][1])
            if len(separators) == n_lines * ncols and (
                n_lines == 0 or bool((separators.reshape(n_lines, ncols)[:, -1] == 10).all())
            ):
                # every line has all the columns: all fields in one list, row after row
                self.vote_rows = None
                self.vote_flat = rest.replace("\n", ";").split(";")
                self.vote_flat.pop()
                return True
            lines = rest.split("\n")
            lines.pop()
            self.vote_rows = list(map(str.split, lines, itertools.repeat(";")))
            return True
        pieces = _LF_LINES.findall(rest)
        if len(rest) >= limit and max(map(len, pieces)) >= limit:
            return False
        rows: list[list[str]] = []
        numbers: list[int] = []
        line = base
        remaining = iter(pieces)
        for piece in remaining:
            if '"' in piece:
                reader = csv.reader(itertools.chain((piece,), remaining), delimiter=";")
                try:
                    row = next(reader)
                except csv.Error as exc:
                    raise PabulibError(
                        [(line + reader.line_num, f"unreadable CSV: {exc}")]
                    ) from exc
                line += reader.line_num
            else:
                line += 1
                row = (piece[:-1] if piece.endswith("\n") else piece).split(";")
            rows.append(row)
            numbers.append(line)
        self.vote_rows, self.vote_lines = rows, numbers
        return True


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
    lines: Sequence[int],
    rows: list[list[str]] | None,
    flat: list[str] | None,
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
    check = _VoteCheck(projects, vote_type, limits, lenient, has_points)
    # ``flat``: all fields in one list, row after row, when every row has all the columns
    if flat is None:
        assert rows is not None
        if not all(map(ncols.__eq__, map(len, rows))):
            kept = [i for i, row in enumerate(rows) if len(row) != 1 or row[0].strip()]
            rows, lines = [rows[i] for i in kept], [lines[i] for i in kept]
        if all(map(ncols.__eq__, map(len, rows))):
            flat = list(itertools.chain.from_iterable(rows))
    if flat is not None:
        by_column = [flat[i::ncols] for i in range(ncols)]
        extras_of = _dict_maker([c for _, c in other], by_row=False)
        extras = [by_column[i] for i, _ in other]
        points_text = by_column[i_points] if has_points else None
        voters = by_column[i_voter]
        ballots = _votes_in_bulk(voters, by_column[i_vote], points_text, extras_of, extras, check)
        if ballots is not None:
            return ballots
        if rows is None:
            rows = [flat[i : i + ncols] for i in range(0, len(flat), ncols)]
    extra_of = _dict_maker([c for _, c in other], by_row=True, positions=[i for i, _ in other])
    # a vote (with its points) is checked once however many ballots repeat it
    checked: dict[str | tuple[str, str], tuple] = {}
    seen_voters: set[str] = set()
    ballots = []
    append = ballots.append
    for line, row in zip(lines, rows, strict=True):
        if len(row) != ncols:
            if len(row) == 1 and not row[0].strip():
                continue  # a blank line (the fast split keeps them)
            problems.append((line, f"expected {ncols} fields, found {len(row)}"))
            continue
        voter = row[i_voter].strip()
        if voter in seen_voters:
            problems.append((line, f"voter_id {voter!r} appears twice"))
        else:
            seen_voters.add(voter)
        key = (row[i_vote], row[i_points]) if has_points else row[i_vote]
        result = checked.get(key)
        if result is None:
            result = checked[key] = check(row[i_vote], row[i_points] if has_points else "")
        choices, points, issues, keep = result
        if issues:
            for is_problem, reason in issues:
                (problems if is_problem else adjustments).append((line, reason))
            if not keep:
                continue
        extra = extra_of(row)
        append(Ballot(voter, list(choices), None if points is None else list(points), extra))
    return ballots


def _dict_maker(names: list[str], *, by_row: bool, positions: list[int] | None = None):
    """Return a function that builds ``{name: value}`` for the other columns of a ballot.

    With ``by_row`` it takes a row and reads the values at ``positions``; otherwise it
    takes the values as arguments, one per name. It is compiled from a syntax tree built
    here (names are constants, never parsed as code): a dict display is about twice as
    fast as dict(zip(…)), which counts with tens of thousands of ballots.
    """
    if by_row:
        assert positions is not None
        row = ast.Name("row", ast.Load())
        values: list[ast.expr] = [
            ast.Subscript(row, ast.Constant(i), ast.Load()) for i in positions
        ]
        params = ["row"]
    else:
        params = [f"value{i}" for i in range(len(names))]
        values = [ast.Name(param, ast.Load()) for param in params]
    display = ast.Dict(keys=[ast.Constant(name) for name in names], values=values)
    arguments = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(param) for param in params],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
    )
    tree = ast.fix_missing_locations(ast.Expression(ast.Lambda(arguments, display)))
    return eval(compile(tree, "<pabulib columns>", "eval"), {"__builtins__": {}})


def _votes_in_bulk(
    voter_texts: list[str],
    votes: list[str],
    points_texts: list[str] | None,
    extras_of: Callable[..., dict[str, str]],
    extras: list[list[str]],
    check: _VoteCheck,
) -> list[Ballot] | None:
    """Read the ballots of a file without any problem or adjustment, in bulk, by column.

    Return None when a row might have one: the caller then reads row by row, which
    reports each with its line.
    """
    voters = list(map(str.strip, voter_texts))
    if len(set(voters)) != len(voters):
        return None
    points: Iterable[list[Number] | None]
    if check.plain:
        # the checks of _VoteCheck's common case, on all ballots at once
        choices = list(map(str.split, votes, itertools.repeat(",")))
        if not check.known.issuperset(itertools.chain.from_iterable(choices)):
            return None
        lengths = list(map(len, choices))
        if not all(map(operator.eq, map(len, map(set, choices)), lengths)):
            return None
        if lengths and (
            (check.max_len is not None and max(lengths) > check.max_len)
            or (check.min_len is not None and min(lengths) < check.min_len)
        ):
            return None
        points = itertools.repeat(None)
    else:
        # a vote (with its points) is checked once however many ballots repeat it
        if points_texts is not None:
            keys: list = list(zip(votes, points_texts, strict=True))
            results = {key: check(*key) for key in dict.fromkeys(keys)}
        else:
            keys = votes
            results = {key: check(key, "") for key in dict.fromkeys(keys)}
        if any(result[2] for result in results.values()):
            return None
        found = list(map(results.__getitem__, keys))
        choices = list(map(list, map(itemgetter(0), found)))
        points = (
            map(list, map(itemgetter(1), found))
            if points_texts is not None
            else itertools.repeat(None)
        )
    made = list(map(extras_of, *extras)) if extras else [{} for _ in voters]
    return list(map(Ballot, voters, choices, points, made))


class _VoteCheck:
    """Check one vote (and its points); the result depends on the raw text only.

    Return ``(choices, points, issues, keep)``: the project ids and points (lists that
    are copied for each ballot, never changed),
    the problems and adjustments as ``(is_problem, reason)`` pairs, and whether the
    ballot is kept.
    """

    def __init__(
        self,
        projects: dict[str, Project],
        vote_type: str,
        limits: dict[str, Number],
        lenient: bool,
        has_points: bool,
    ) -> None:
        self.costs = {pid: p.cost for pid, p in projects.items()}
        self.known = frozenset(self.costs)
        self.vote_type = vote_type
        self.limits = limits
        self.lenient = lenient
        self.has_points = has_points
        self.min_len = limits.get("min_length")
        self.max_len = limits.get("max_length")
        if vote_type == "choose-1":
            self.max_len = 1 if self.max_len is None else min(self.max_len, 1)
        # length limits are checked inline; the rest needs the full check on every ballot
        self.check_all = bool(set(limits) - {"min_length", "max_length"})
        #: parsed points fields (never changed: each ballot gets a copy)
        self.point_lists: dict[str, list[Number] | str] = {}
        #: without points and limits other than length, a vote of known ids needs no more
        self.plain = not has_points and not self.check_all

    def parse_points(self, raw: str) -> list[Number] | str:
        """Return the points of a points field, or the problem with them."""
        text = raw.strip()
        if not text:
            return []
        try:
            return [parse_number(x) for x in text.split(",")]
        except ValueError as exc:
            return f"points: {exc}"

    def __call__(self, raw_vote: str, raw_points: str) -> tuple:
        parts = raw_vote.split(",")
        if self.plain and self.known.issuperset(parts):
            # the common case, decided here: known ids, none twice, within the length limits
            n = len(parts)
            if len(set(parts)) == n and not (
                (self.max_len is not None and n > self.max_len)
                or (self.min_len is not None and n < self.min_len)
            ):
                return parts, None, (), True
        known = self.known.issuperset(parts)
        if known:
            # project ids are stripped and not empty, so nothing is left to strip
            choices = parts
        else:
            raw = raw_vote.strip()
            choices = [c.strip() for c in raw.split(",")] if raw else []
        points: list[Number] | None = None
        if self.has_points:
            parsed = self.point_lists.get(raw_points)
            if parsed is None:
                parsed = self.point_lists[raw_points] = self.parse_points(raw_points)
            if isinstance(parsed, str):
                return (), None, ((True, parsed),), False
            points = parsed
            if len(points) != len(choices):
                reason = f"{len(choices)} projects in vote but {len(points)} points"
                return (), None, ((True, reason),), False
        if not known:
            unknown = [c for c in choices if c not in self.costs]
            if unknown:
                reason = f"unknown project(s) {', '.join(map(repr, unknown))}"
                return (), None, ((True, reason),), False
        issues: list[tuple[bool, str]] = []
        if len(set(choices)) != len(choices):
            dupes = sorted({c for c in choices if choices.count(c) > 1})
            if not self.lenient:
                reason = f"project(s) {', '.join(dupes)} named twice in one ballot"
                return (), None, ((True, reason),), False
            keep = [i for i, c in enumerate(choices) if choices.index(c) == i]
            choices = [choices[i] for i in keep]
            if points is not None:
                points = [points[i] for i in keep]
            issues.append(
                (False, f"duplicate project(s) {', '.join(dupes)} counted once, at first rank")
            )
        n_chosen = len(choices)
        min_len, max_len = self.min_len, self.max_len
        violation = (
            _check_limits(
                choices, points, self.costs, self.limits, min_len, max_len, self.vote_type
            )
            if self.check_all
            or (min_len is not None and 0 < n_chosen < min_len)
            or (max_len is not None and n_chosen > max_len)
            else None
        )
        if violation:
            issues.append((not self.lenient, violation))
            if not self.lenient:
                return (), None, tuple(issues), False
        return choices, points, tuple(issues), True


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
