"""Translated messages for the error codes of the CSV imports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from buurtbegroting.domain import csv_import

FILE_MESSAGES = {
    "empty": _l("The file is empty."),
    "no_rows": _l("The file has a header but no rows below it."),
    "binary": _l("This is not a CSV file. Save the file as CSV (text separated by semicolons)."),
    "too_large": _l("The file is too large. Send at most %(max_mb)d MB at a time."),
    "header": _l("The first row must contain the column names: %(expected)s."),
    "malformed": _l(
        "The file cannot be read from line %(line)d on. Check the quotes in that line."
    ),
}

ROW_MESSAGES = {
    "columns": _l("This row has %(found)d columns instead of %(expected)d."),
    "code_invalid": _l(
        "“%(value)s” is not a CBS code. Use GM and 4 digits, WK and 6 digits, or BU and 8 characters."
    ),
    "required": _l("The column %(column)s is empty."),
    "too_long": _l("The column %(column)s is too long: at most %(max)d characters."),
    "parent_not_allowed": _l(
        "A municipality cannot be part of another area. Leave parent_code empty."
    ),
    "parent_missing": _l("Fill in parent_code: the area it belongs to."),
    "parent_code_invalid": _l("“%(value)s” in parent_code is not a CBS code."),
    "parent_must_be_municipality": _l(
        "A district must be part of a municipality (GM…), not of “%(value)s”."
    ),
    "parent_must_be_district": _l(
        "A neighbourhood must be part of a district (WK…), not of “%(value)s”."
    ),
    "parent_unknown": _l(
        "The parent area “%(value)s” does not exist and is not in the file either."
    ),
    "duplicate_code": _l("The code “%(value)s” is already on line %(first)d."),
    "postcode_invalid": _l(
        "“%(value)s” is not a postcode. Use 4 digits, or 4 digits and 2 letters."
    ),
    "pc6_invalid": _l("“%(value)s” is not a postcode of 4 digits and 2 letters."),
    "house_number_invalid": _l("“%(value)s” is not a house number."),
    "not_neighbourhood_code": _l("“%(value)s” is not the code of a neighbourhood (BU…)."),
    "duplicate_postcode": _l("The postcode %(value)s is already on line %(first)d."),
    "area_unknown": _l("The area “%(value)s” does not exist. Import the areas first."),
    "not_a_number": _l("“%(value)s” in the column %(column)s is not a number."),
    "year_invalid": _l("“%(value)s” is not a year. Use 4 digits, like 2025."),
    "duplicate_indicator": _l(
        "The indicator “%(value)s” for this area and year is already on line %(first)d."
    ),
}

#: How many rejected rows a page lists; the rest is counted.
MAX_SHOWN_ERRORS = 1000


def file_message(problem: csv_import.FileProblem) -> str:
    """Return the translated message for a problem with the whole file."""
    return str(FILE_MESSAGES[problem.code]) % problem.params


def row_message(code: str, params: dict) -> str:
    """Return the translated message for a rejected row."""
    return str(ROW_MESSAGES[code]) % params
