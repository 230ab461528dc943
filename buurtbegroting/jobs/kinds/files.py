"""What the code-making kinds share: a CSV written in committed steps, and a ZIP result.

The codes of a step and the size of the CSV file that holds them are committed
together. A worker that dies in the middle leaves at most one step written to the file
and not committed; the next attempt cuts the file back to the committed size and goes
on, so every code in the database is in the file exactly once and none is made twice.
"""

from __future__ import annotations

import csv
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from buurtbegroting.jobs import services
from buurtbegroting.jobs.runner import Work


def write_in_steps(
    work: Work, path: Path, total: int, make_text: Callable[[int, bool], str], message: str
) -> None:
    """Append ``total`` rows to ``path`` in steps of JOB_CHUNK_SIZE, committing each step.

    ``make_text(n, with_header)`` makes n new rows (flushing them to the database) and
    returns their CSV text.
    """
    done = int(work.checkpoint.get("done", 0))
    size = int(work.checkpoint.get("bytes", 0))
    if size and (not path.is_file() or path.stat().st_size < size):
        raise services.JobRefused(
            _(
                "The file with the codes made so far is gone, so this job cannot go on. "
                "Make those codes void and start a new job."
            )
        )
    chunk = max(1, int(current_app.config["JOB_CHUNK_SIZE"]))
    with open(path, "a+b") as fh:
        fh.truncate(size)
        work.step(done, total, message)
        while done < total:
            n = min(chunk, total - done)
            work.begin()
            data = make_text(n, size == 0).encode("utf-8")
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            size += len(data)
            done += n
            work.step(
                done, total, message, checkpoint={**work.checkpoint, "done": done, "bytes": size}
            )


def write_csv(
    work: Work, csv_name: str, total: int, make_text: Callable[[int, bool], str], message: str
) -> tuple[Path, int]:
    """Write the job's CSV in committed steps (``write_in_steps``); return its path and rows."""
    path = services.work_folder(work.job_id) / csv_name
    write_in_steps(work, path, total, make_text, message)
    return path, csv_count(path)


def without_header(text: str, with_header: bool) -> str:
    """Return CSV text as it is, or without its first line."""
    return text if with_header else text.split("\n", 1)[1]


def csv_rows(path: Path) -> Iterator[list[str]]:
    """Yield the rows of a work CSV, without its header, one at a time (memory stays flat)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows, None)
        yield from rows


def csv_count(path: Path) -> int:
    """Return the number of rows of a work CSV, without its header."""
    return sum(1 for _row in csv_rows(path))


def write_zip(
    work: Work,
    download_name: str,
    members: Iterator[tuple[str, Path | str]],
    total: int,
    message: str,
) -> None:
    """Write the result ZIP (files from disk or text made on the way), then commit it as the result.

    ``members`` yields (name in the ZIP, a path or the text); the progress counts them.
    """
    folder = services.result_folder()
    name = f"job-{work.job_id}.zip"
    part = folder / (name + ".part")
    with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, (member, content) in enumerate(members, start=1):
            if isinstance(content, Path):
                archive.write(content, member)
            else:
                archive.writestr(member, content)
            work.beat(number, total, message)
    part.replace(folder / name)
    _finished(work, name, download_name, total, message)


def write_print_zip(
    work: Work,
    download_name: str,
    writer: Callable[..., Any],
    items: Iterator,
    total: int,
    message: str,
    **options: Any,
) -> Any:
    """Write the result ZIP with a print writer (PDF parts and the CSV), then commit it.

    ``writer(items, path, part_size=PRINT_PART_SIZE, progress=progress, **options)`` (one
    of the ``printing`` writers) writes the whole ZIP at ``path`` (under a temporary name
    first) and calls ``progress(n)`` with the items done since its last call; what it
    returns is returned.
    """
    name = f"job-{work.job_id}.zip"
    target = services.result_folder() / name
    # An earlier attempt that died after its rename left a whole file: write it anew.
    target.unlink(missing_ok=True)
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        work.beat(min(done, total), total, message)

    written = writer(
        items,
        target,
        part_size=current_app.config["PRINT_PART_SIZE"],
        progress=progress,
        **options,
    )
    _finished(work, name, download_name, total, message)
    return written


def _finished(work: Work, name: str, download_name: str, total: int, message: str) -> None:
    """Record the last step: all items done, the result file and the name to download it as."""
    work.step(
        total,
        total,
        message,
        result_file=name,
        params={**work.params, "download_name": download_name},
    )
