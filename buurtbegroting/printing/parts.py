"""One ZIP on disk with the PDFs in parts and the mail-merge CSV, written as the items stream by.

Memory holds one part at most (reportlab keeps a document's pages until it is saved), never
the whole run: a part is saved into the ZIP when it is full, the CSV goes to a file next to
the ZIP and joins it at the end. The ZIP is written under a temporary name and renamed
when complete, so a run that fails leaves no half-written file.
"""

from __future__ import annotations

import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from flask_babel import lazy_gettext as _l

from buurtbegroting import csvfile
from buurtbegroting.printing.settings import PrintRefused, check_part_size

#: How often (in items) the progress callback hears of the work done.
PROGRESS_STEP = 250


class Document(Protocol):
    """A PDF being drawn: items are added one by one, ``close`` finishes the file."""

    pages: int

    def add(self, item: Any, number: int) -> None: ...

    def close(self) -> None: ...


@dataclass
class PrintResult:
    """What was written: the ZIP, the number of items and the names of the files inside."""

    path: Path
    count: int = 0
    pages: int = 0
    files: list[str] = field(default_factory=list)


def _first(items: Iterable) -> tuple[Any, Iterator]:
    iterator = iter(items)
    try:
        return next(iterator), iterator
    except StopIteration:
        raise PrintRefused(_l("There is nothing to print: the list is empty.")) from None


def write_zip(
    items: Iterable,
    out_path: str | Path,
    *,
    part_size: int,
    part_name: Callable[[int], str],
    csv_name: str,
    csv_header: list[str],
    csv_row: Callable[[Any], list],
    new_document: Callable[[Any], Document],
    progress: Callable[[int], None] | None = None,
) -> PrintResult:
    """Write the items as PDF parts plus a CSV into a new ZIP file; return what was written.

    :param new_document: starts a PDF on an open binary file.
    :param progress: called with the number of items done since the previous call.
    """
    part_size = check_part_size(part_size)
    first, rest = _first(items)
    out_path = Path(out_path)
    if out_path.exists():
        raise PrintRefused(_l("The file %(path)s exists already.", path=str(out_path)))
    tmp_zip = out_path.with_name(out_path.name + ".part")
    tmp_csv = out_path.with_name(out_path.name + ".csv.part")
    result = PrintResult(path=out_path)
    unreported = 0
    try:
        with (
            zipfile.ZipFile(tmp_zip, "w", allowZip64=True) as archive,
            open(tmp_csv, "w", encoding="utf-8", newline="") as csv_fh,
        ):
            writer = csvfile.writer(csv_fh)
            writer.writerow(csv_header)
            parts = _Parts(archive, part_size, part_name, new_document, result)
            try:
                for item in _chain(first, rest):
                    parts.add(item)
                    writer.writerow(csv_row(item))
                    unreported += 1
                    if progress is not None and unreported >= PROGRESS_STEP:
                        progress(unreported)
                        unreported = 0
                parts.close()
            except BaseException:
                parts.abandon()
                raise
            csv_fh.close()
            archive.write(tmp_csv, csv_name, compress_type=zipfile.ZIP_DEFLATED)
            result.files.append(csv_name)
        os.replace(tmp_zip, out_path)
    except BaseException:
        tmp_zip.unlink(missing_ok=True)
        raise
    finally:
        tmp_csv.unlink(missing_ok=True)
    if progress is not None and unreported:
        progress(unreported)
    return result


def _chain(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


class _Parts:
    """The PDF being filled inside the ZIP; a new one starts when it holds ``size`` items."""

    def __init__(self, archive: zipfile.ZipFile, size, name, new_document, result: PrintResult):
        self.archive, self.size, self.name = archive, size, name
        self.new_document, self.result = new_document, result
        self.handle: IO[bytes] | None = None
        self.document: Document | None = None

    def add(self, item) -> None:
        """Add an item, starting a new PDF when the current one is full."""
        result = self.result
        if result.count % self.size == 0:
            self.close()
            name = self.name(len(result.files) + 1)
            info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
            self.handle = self.archive.open(info, "w", force_zip64=True)
            self.document = self.new_document(self.handle)
            result.files.append(name)
        result.count += 1
        self.document.add(item, result.count)

    def close(self) -> None:
        """Finish the current PDF, if any."""
        if self.document is not None:
            self.document.close()
            self.handle.close()
            self.result.pages += self.document.pages
            self.document = self.handle = None

    def abandon(self) -> None:
        """Let go of an unfinished PDF (the ZIP it is in is thrown away)."""
        if self.handle is not None:
            self.handle.close()
            self.document = self.handle = None


def write_temporary(write: Callable[[Path], PrintResult]) -> tuple[IO[bytes], PrintResult]:
    """Write a print ZIP to a temporary file; return it opened (already unlinked) and the result.

    For a download: the open file is all that is left of it, and it goes when the response
    has been sent and the file is closed, so no copy of the codes stays on disk.
    """
    folder = Path(tempfile.mkdtemp(prefix="buurtbegroting-print-"))
    path = folder / "print.zip"
    try:
        result = write(path)
        handle = open(path, "rb")  # noqa: SIM115 (closed by the response)
    finally:
        path.unlink(missing_ok=True)
        folder.rmdir()
    return handle, result
