"""Generating voting codes and exporting them: the mail-merge CSV and print-ready letters."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from buurtbegroting import audit, csvfile
from buurtbegroting.domain.codes import format_code, generate_code
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    CodeStatus,
    RoundArea,
    User,
    VotingCode,
)
from buurtbegroting.qr import qr_path_svg
from buurtbegroting.rounds.codes.common import MAX_CODES, CodesRefused
from buurtbegroting.rounds.services import (
    is_locked,
    voting_code_hash,
)
from buurtbegroting.urls import external_url

#: Letters per HTML file in a ZIP (a browser prints a thousand pages comfortably).
LETTERS_PER_FILE = 1_000
#: The public voting page that takes a code (blueprint ``rounds``, not built here).
VOTE_ENDPOINT = "rounds.code_link"
CSV_HEADER = ["code", "area_code", "area_name", "url"]
CSS_PATH = Path(__file__).resolve().parents[3] / "static" / "css" / "letters.css"
#: Rows per INSERT statement.
INSERT_CHUNK = 5_000


def vote_url_builder() -> Callable[[str], str]:
    """Return a function that gives the voting URL (for the QR code) of a plain code.

    The code goes in the fragment (``/stem#CODE``), which browsers never send to the server,
    so it does not end up in access logs; the page posts it (rounds/views/access.py). The
    URL is built once from BASE_URL, so 50,000 URLs cost nothing.
    """
    if VOTE_ENDPOINT in current_app.view_functions:
        base = external_url(VOTE_ENDPOINT)
    else:
        base = current_app.config["BASE_URL"].rstrip("/") + "/stem"
    return lambda code: base + "#" + code


def _insert_chunk(rows: list[dict], codes: list[str], seen: set[str]) -> None:
    """Insert one chunk; draw new codes for hashes that already exist, then try again."""
    while True:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(VotingCode), rows)
            return
        except IntegrityError:
            taken = set(
                db.session.scalars(
                    select(VotingCode.code_hash).where(
                        VotingCode.code_hash.in_([r["code_hash"] for r in rows])
                    )
                )
            )
            for i, row in enumerate(rows):
                if row["code_hash"] in taken:
                    code, hashed = _new_code(seen)
                    codes[i] = code
                    row["code_hash"] = hashed


def _new_code(seen: set[str]) -> tuple[str, str]:
    while True:
        code = generate_code()
        hashed = voting_code_hash(code)
        if hashed not in seen:
            seen.add(hashed)
            return code, hashed


def check_count(count, maximum: int = MAX_CODES) -> int:
    """Return the number of codes to make, or refuse a number outside 1..maximum."""
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= maximum:
        raise CodesRefused(
            [_l("Enter a whole number from 1 to %(max)s.", max=f"{maximum:,}".replace(",", "."))],
            field="count",
        )
    return count


def generate_codes(
    round_area: RoundArea,
    count: int,
    progress: Callable[[int], None] | None = None,
    *,
    actor: User | None = None,
    maximum: int = MAX_CODES,
) -> list[str]:
    """Make ``count`` new codes for the area; store only their keyed hashes; return them once.

    Refused once voting has started. Rows go in with one INSERT per chunk; a hash that
    already exists (60 random bits: practically never) gets a new code. Flushes only.
    """
    check_count(count, maximum)
    if is_locked(round_area.round):
        raise CodesRefused(
            [_l("Voting has started in this round. Re-issue lost codes one at a time.")]
        )
    seen: set[str] = set()
    made: list[str] = []
    for start in range(0, count, INSERT_CHUNK):
        size = min(INSERT_CHUNK, count - start)
        codes: list[str] = []
        rows: list[dict] = []
        for _ in range(size):
            code, hashed = _new_code(seen)
            codes.append(code)
            rows.append(
                {
                    "round_area_id": round_area.id,
                    "code_hash": hashed,
                    "status": CodeStatus.ISSUED,
                }
            )
        _insert_chunk(rows, codes, seen)
        made.extend(codes)
        if progress is not None:
            progress(size)
    audit.record(
        actor,
        "round.codes_generated",
        round_area.round,
        summary=f"{round_area.area.code} {round_area.area.name}",
        after={"area": round_area.area.code, "round_area_id": round_area.id, "count": len(made)},
    )
    return made


def record_export(round_area: RoundArea, count: int, files: list[str], actor: User | None) -> None:
    """Log that new codes were handed out as files (never the codes themselves)."""
    audit.record(
        actor,
        "round.codes_exported",
        round_area.round,
        summary=f"{round_area.area.code} {round_area.area.name}",
        after={"area": round_area.area.code, "count": count, "files": files},
    )


def export_csv(round_area: RoundArea, codes: list[str]) -> str:
    """Return the CSV for the mailing house: code (in groups), area code, area name, URL."""
    url = vote_url_builder()
    buffer = io.StringIO()
    writer = csvfile.writer(buffer)
    writer.writerow(CSV_HEADER)
    area = round_area.area
    writer.writerows([format_code(c), area.code, area.name, url(c)] for c in codes)
    return buffer.getvalue()


def write_csv(path: Path, round_area: RoundArea, codes: list[str]) -> None:
    """Write the CSV to a new file; refuse to overwrite one."""
    with open(path, "x", encoding="utf-8", newline="") as fh:
        fh.write(export_csv(round_area, codes))


@dataclass(frozen=True)
class Letter:
    """What is printed on one letter."""

    code: str
    url: str
    qr: Markup

    @property
    def groups(self) -> list[str]:
        """Return the code in groups, as printed: ABCD EFGH JKMNP."""
        return format_code(self.code).split("-")


def letters_html(round_area: RoundArea, codes: list[str], *, standalone: bool = True) -> str:
    """Return a print-ready A4 page per code: round, area, code in groups, QR code, instructions.

    ``standalone`` (a file for the printer) carries the print stylesheet inside the file,
    because a file opened from disk cannot load it from the site; a page served by the site
    links to static/css/letters.css instead (the site's CSP forbids inline style).
    """
    from flask_babel import gettext as _

    url = vote_url_builder()
    label = _("QR code with the link to vote with this code")
    letters = [Letter(code=c, url=url(c), qr=qr_path_svg(url(c), label)) for c in codes]
    css = Markup(CSS_PATH.read_text(encoding="utf-8")) if standalone else None
    return render_template(
        "round_codes/letters.html",
        round_=round_area.round,
        round_area=round_area,
        letters=letters,
        css=css,
        standalone=standalone,
    )


def export_zip(round_area: RoundArea, codes: list[str]) -> bytes:
    """Return a ZIP with codes.csv and the letters (letters.html, or parts of 1,000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("codes.csv", export_csv(round_area, codes))
        for name, part in letter_files(codes):
            archive.writestr(name, letters_html(round_area, part))
    return buffer.getvalue()


def letter_files(codes: list[str]) -> list[tuple[str, list[str]]]:
    """Split the codes into letter files: letters.html, or letters-001.html and on."""
    if len(codes) <= LETTERS_PER_FILE:
        return [("letters.html", codes)]
    return [
        (f"letters-{i // LETTERS_PER_FILE + 1:03d}.html", codes[i : i + LETTERS_PER_FILE])
        for i in range(0, len(codes), LETTERS_PER_FILE)
    ]
