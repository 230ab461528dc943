"""The one CSV writer of the application: cells a spreadsheet would run as a formula are made safe.

Every CSV the application hands out (results, cheque and code exports, statistics, the
dashboard) is written here. A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return (or the full-width ``＝ ＋ － ＠`` that some spreadsheets also accept)
gets a leading ``'``: Excel, LibreOffice and Google Sheets then show it as text and never
run it ("CSV injection", OWASP).

Numbers: a value passed as ``int``, ``float`` or ``Decimal`` is written as it is, so a
negative number such as ``-5`` stays a number. Text is always treated as text, even text
that looks like a number (``"-5,00"`` becomes ``'-5,00``): callers that want a negative
figure to stay a number pass it as a number. Only Python numbers can never hold a formula,
which is why the check is on the type and not on the look of the text.

The Pabulib ``.pb`` file is not written here: it is a data format for recount tools, with
a published checksum, not a spreadsheet file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell(value: Any) -> Any:
    """Return the value as it may be written: numbers as they are, formula-like text quoted."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`cell`."""

    def __init__(self, fh, **options):
        self._writer = csv.writer(fh, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)


def writer(fh, *, delimiter: str = ",", lineterminator: str = "\n") -> SafeWriter:
    """Return a safe CSV writer on a text file."""
    return SafeWriter(fh, delimiter=delimiter, lineterminator=lineterminator)


def text(
    rows: Iterable[Iterable[Any]],
    *,
    delimiter: str = ",",
    lineterminator: str = "\n",
    bom: bool = False,
) -> str:
    """Return the rows as CSV text; ``bom`` starts it with a byte order mark (for Excel)."""
    out = io.StringIO()
    writer(out, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return ("\ufeff" if bom else "") + out.getvalue()
