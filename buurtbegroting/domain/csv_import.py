"""Read and check CSV files of areas, postcodes and indicators; no database, no Flask.

Every parser returns plain rows plus a list of row errors. A row error is a tuple
``(line, code, params)``: the line number in the file (the header is line 1), a short
error code and the values for the message, so the caller can translate it. Problems
with the file as a whole (empty, not a CSV file, wrong header, too large) raise
:class:`FileProblem` instead.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from buurtbegroting.domain import DomainError
from buurtbegroting.domain.areas import (
    CODE_PATTERNS,
    InvalidAreaCode,
    InvalidPostcode,
    expected_parent_level,
    level_for_code,
    normalize_postcode,
)

#: Default largest file we accept (bytes).
MAX_BYTES = 5 * 1024 * 1024

#: Lengths of the text columns in the database.
MAX_AREA_NAME = 120
MAX_INDICATOR_NAME = 120
MAX_UNIT = 40
MAX_SOURCE = 200

RowError = tuple[int, str, dict[str, Any]]

AREA_COLUMNS = ("code", "name", "parent_code")
POSTCODE_COLUMNS = ("postcode", "area_code")
INDICATOR_COLUMNS = (
    "area_code",
    "name",
    "value",
    "unit",
    "municipal_average",
    "year",
    "source",
)
#: The CBS file "postcode + house number → buurt, wijk, gemeente"; the year varies.
CBS_POSTCODE_COLUMNS = (
    re.compile(r"^pc6$"),
    re.compile(r"^huisnummer$"),
    re.compile(r"^buurt\d{4}$"),
    re.compile(r"^wijk\d{4}$"),
    re.compile(r"^gemeente\d{4}$"),
)

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_YEAR = re.compile(r"^\d{4}$")
_HOUSE_NUMBER = re.compile(r"^\d{1,6}$")
_CBS_BUURT = re.compile(r"^\d{8}$")


class FileProblem(DomainError):
    """The file as a whole cannot be read; ``code`` and ``params`` describe why."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def short(value: str, limit: int = 40) -> str:
    """Shorten a cell for an error message, so a huge cell does not flood the page."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- reading the file -------------------------------------------------------------


def decode(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Return the text of an uploaded file: UTF-8 (with or without BOM), else cp1252."""
    if len(data) > max_bytes:
        raise FileProblem("too_large", max_mb=max_bytes // (1024 * 1024))
    if not data.strip():
        raise FileProblem("empty")
    if b"\x00" in data:
        raise FileProblem("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem("binary") from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > 0:
        raise FileProblem("binary")
    return text


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


@dataclass
class Table:
    """The header (lower case) and the data rows of a CSV file, with their line numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_table(data: bytes, max_bytes: int = MAX_BYTES) -> Table:
    """Read a CSV file with a header row; ``;`` or ``,`` as delimiter.

    Rows with too few or too many cells get a row error; blank rows are skipped.
    """
    text = decode(data, max_bytes)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    table: Table | None = None
    last_line = 0
    try:
        for cells in reader:
            line = last_line + 1
            last_line = reader.line_num
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            if table is None:
                while cells and not cells[-1]:
                    cells.pop()  # spreadsheets like to add empty columns
                table = Table(header=[c.lower() for c in cells])
                continue
            width = len(table.header)
            if len(cells) > width and not any(cells[width:]):
                cells = cells[:width]  # spreadsheets like to add empty columns
            if len(cells) != width:
                table.errors.append((line, "columns", {"expected": width, "found": len(cells)}))
                continue
            table.rows.append((line, cells))
    except csv.Error:
        raise FileProblem("malformed", line=last_line + 1) from None
    if table is None:
        raise FileProblem("empty")
    if not table.rows and not table.errors:
        raise FileProblem("no_rows")
    return table


def _columns(table: Table, expected: tuple[str, ...]) -> dict[str, int]:
    """Map each expected column to its position; refuse a header that lacks one or repeats one."""
    if len(set(table.header)) != len(table.header) or not set(expected) <= set(table.header):
        raise FileProblem("header", expected=";".join(expected))
    return {name: table.header.index(name) for name in expected}


def parse_number(text: str) -> float | None:
    """Read a number with a decimal comma or point ("12,5", "1.234,5", "-3"); None if it is none."""
    compact = text.replace(" ", "").replace("\u00a0", "")
    if "," in compact and "." in compact:
        decimal = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        compact = compact.replace(thousands, "")
        compact = compact.replace(decimal, ".")
    elif compact.count(",") == 1:
        compact = compact.replace(",", ".")
    if not _NUMBER.match(compact):
        return None
    return float(compact)


def _check_length(line: int, column: str, value: str, limit: int, errors: list[RowError]) -> bool:
    if len(value) > limit:
        errors.append((line, "too_long", {"column": column, "max": limit}))
        return False
    return True


# --- areas ------------------------------------------------------------------------


@dataclass
class AreaRow:
    """One area from the file: a CBS code, a name and the code of its parent."""

    line: int
    code: str
    name: str
    level: str
    parent_code: str | None


def parse_areas(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[list[AreaRow], list[RowError]]:
    """Read ``code;name;parent_code`` rows and check everything that needs no database.

    Checks code formats, names, that the parent is of the right level, and duplicate
    codes. Whether a parent exists (in the file or already) is left to the caller.
    """
    table = read_table(data, max_bytes)
    cols = _columns(table, AREA_COLUMNS)
    errors = list(table.errors)
    rows: list[AreaRow] = []
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        code = cells[cols["code"]].upper()
        name = cells[cols["name"]]
        parent_code = cells[cols["parent_code"]].upper() or None
        before = len(errors)
        level = None
        try:
            level = level_for_code(code)
        except InvalidAreaCode:
            errors.append((line, "code_invalid", {"value": short(code)}))
        if not name:
            errors.append((line, "required", {"column": "name"}))
        else:
            _check_length(line, "name", name, MAX_AREA_NAME, errors)
        if level is not None:
            wanted = expected_parent_level(level)
            if wanted is None and parent_code:
                errors.append((line, "parent_not_allowed", {}))
            elif wanted is not None and not parent_code:
                errors.append((line, "parent_missing", {}))
            elif wanted is not None:
                try:
                    parent_level = level_for_code(parent_code)
                except InvalidAreaCode:
                    errors.append((line, "parent_code_invalid", {"value": short(parent_code)}))
                else:
                    if parent_level != wanted:
                        errors.append((line, f"parent_must_be_{wanted}", {"value": parent_code}))
        if code in seen:
            errors.append((line, "duplicate_code", {"value": short(code), "first": seen[code]}))
        else:
            seen[code] = line
        if len(errors) == before and level is not None:
            rows.append(AreaRow(line, code, name, level, parent_code))
    return rows, errors


# --- postcodes --------------------------------------------------------------------


@dataclass
class PostcodeFile:
    """Postcode mappings read from a file, in either layout."""

    #: "simple" (postcode;area_code) or "cbs" (PC6;Huisnummer;BuurtJJJJ;…).
    layout: str
    #: Normalised postcode → neighbourhood code.
    mapping: dict[str, str] = field(default_factory=dict)
    #: Every (line, neighbourhood code) the file refers to, so unknown codes can be reported per line.
    references: list[tuple[int, str]] = field(default_factory=list)
    #: CBS layout: how many PC6s have house numbers in more than one neighbourhood.
    split: int = 0
    #: Number of data rows read.
    rows: int = 0


def _is_cbs_header(header: list[str]) -> bool:
    return len(header) == len(CBS_POSTCODE_COLUMNS) and all(
        pattern.match(name) for pattern, name in zip(CBS_POSTCODE_COLUMNS, header, strict=True)
    )


def cbs_buurt_code(text: str) -> str | None:
    """Turn a buurt code from the CBS file ("08280300") into a CBS code ("BU08280300")."""
    value = text.strip().upper()
    if _CBS_BUURT.match(value):
        value = "BU" + value
    return value if CODE_PATTERNS["neighbourhood"].match(value) else None


def parse_postcodes(data: bytes, max_bytes: int = MAX_BYTES) -> tuple[PostcodeFile, list[RowError]]:
    """Read a postcode file: ``postcode;area_code`` rows, or the CBS PC6 + house number file.

    In the CBS layout there is a row per address; a PC6 goes to the neighbourhood with
    the most house numbers (on a tie, the lowest code).
    """
    table = read_table(data, max_bytes)
    if _is_cbs_header(table.header):
        return _parse_cbs_postcodes(table)
    cols = _columns(table, POSTCODE_COLUMNS)
    errors = list(table.errors)
    result = PostcodeFile(layout="simple", rows=len(table.rows))
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        before = len(errors)
        raw_postcode, raw_code = cells[cols["postcode"]], cells[cols["area_code"]].upper()
        postcode = None
        try:
            postcode = normalize_postcode(raw_postcode)
        except InvalidPostcode:
            errors.append((line, "postcode_invalid", {"value": short(raw_postcode)}))
        if not CODE_PATTERNS["neighbourhood"].match(raw_code):
            errors.append((line, "not_neighbourhood_code", {"value": short(raw_code)}))
        if postcode is not None:
            if postcode in seen:
                errors.append(
                    (line, "duplicate_postcode", {"value": postcode, "first": seen[postcode]})
                )
            else:
                seen[postcode] = line
        if len(errors) == before:
            result.mapping[postcode] = raw_code
            result.references.append((line, raw_code))
    return result, errors


def _parse_cbs_postcodes(table: Table) -> tuple[PostcodeFile, list[RowError]]:
    errors = list(table.errors)
    result = PostcodeFile(layout="cbs", rows=len(table.rows))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line, cells in table.rows:
        before = len(errors)
        raw_postcode, number, raw_buurt = cells[0], cells[1], cells[2]
        try:
            postcode = normalize_postcode(raw_postcode)
        except InvalidPostcode:
            postcode = None
        if postcode is None or len(postcode) != 6:
            errors.append((line, "pc6_invalid", {"value": short(raw_postcode)}))
        if not _HOUSE_NUMBER.match(number):
            errors.append((line, "house_number_invalid", {"value": short(number)}))
        code = cbs_buurt_code(raw_buurt)
        if code is None:
            errors.append((line, "not_neighbourhood_code", {"value": short(raw_buurt)}))
        if len(errors) == before:
            counts[postcode][code] += 1
            result.references.append((line, code))
    for postcode, per_code in counts.items():
        best_code, _count = min(per_code.items(), key=lambda item: (-item[1], item[0]))
        result.mapping[postcode] = best_code
        if len(per_code) > 1:
            result.split += 1
    return result, errors


# --- indicators -------------------------------------------------------------------


@dataclass
class IndicatorFigure:
    """One figure of the area monitor: what it measures, its value, year and source."""

    name: str
    value: float
    unit: str
    municipal_average: float | None
    year: int
    source: str


@dataclass
class IndicatorRow(IndicatorFigure):
    """One figure of the area monitor from the file, with its line and area code."""

    line: int
    area_code: str


def parse_indicators(
    data: bytes, max_bytes: int = MAX_BYTES
) -> tuple[list[IndicatorRow], list[RowError]]:
    """Read ``area_code;name;value;unit;municipal_average;year;source`` rows.

    Numbers may use a decimal comma or point; the municipal average may be empty.
    A row is unique by (area, name, year).
    """
    table = read_table(data, max_bytes)
    cols = _columns(table, INDICATOR_COLUMNS)
    errors = list(table.errors)
    rows: list[IndicatorRow] = []
    seen: dict[tuple[str, str, int], int] = {}
    for line, cells in table.rows:
        get = {name: cells[index] for name, index in cols.items()}
        before = len(errors)
        code = get["area_code"].upper()
        try:
            level_for_code(code)
        except InvalidAreaCode:
            errors.append((line, "code_invalid", {"value": short(code)}))
        if not get["name"]:
            errors.append((line, "required", {"column": "name"}))
        else:
            _check_length(line, "name", get["name"], MAX_INDICATOR_NAME, errors)
        value = parse_number(get["value"])
        if not get["value"]:
            errors.append((line, "required", {"column": "value"}))
        elif value is None:
            errors.append((line, "not_a_number", {"column": "value", "value": short(get["value"])}))
        average = None
        if get["municipal_average"]:
            average = parse_number(get["municipal_average"])
            if average is None:
                errors.append(
                    (
                        line,
                        "not_a_number",
                        {"column": "municipal_average", "value": short(get["municipal_average"])},
                    )
                )
        year = None
        if _YEAR.match(get["year"]) and 1900 <= int(get["year"]) <= 2100:
            year = int(get["year"])
        else:
            errors.append((line, "year_invalid", {"value": short(get["year"])}))
        _check_length(line, "unit", get["unit"], MAX_UNIT, errors)
        _check_length(line, "source", get["source"], MAX_SOURCE, errors)
        if len(errors) == before:
            key = (code, get["name"], year)
            if key in seen:
                errors.append(
                    (line, "duplicate_indicator", {"value": short(get["name"]), "first": seen[key]})
                )
                continue
            seen[key] = line
            rows.append(
                IndicatorRow(
                    name=get["name"],
                    value=value,
                    unit=get["unit"],
                    municipal_average=average,
                    year=year,
                    source=get["source"],
                    line=line,
                    area_code=code,
                )
            )
    return rows, errors
