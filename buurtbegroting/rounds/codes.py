"""Voting codes for letters, paper ballots (single and double entry) and network signals.

Plain voting codes exist only in memory while their export is written: the database
keeps a keyed hash of each code. Services flush and leave the commit to the caller, so
that a view or a command commits only after the export has been written.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
import qrcode
from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from buurtbegroting import audit
from buurtbegroting.domain import DomainError
from buurtbegroting.domain.codes import InvalidCode, format_code, generate_code, normalize_code
from buurtbegroting.domain.rounds import BallotProblem, Phase, check_ballot
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    AuditEntry,
    BudgetRound,
    CodeStatus,
    NetworkSignal,
    PaperEntry,
    RoundArea,
    User,
    VotingCode,
)
from buurtbegroting.rounds.services import (
    VoteRefused,
    area_by_id,
    ballot_problem_message,
    ballot_rules,
    cast_ballot,
    find_code,
    is_locked,
    phase,
    voting_code_hash,
)
from buurtbegroting.urls import external_url

#: The most codes made in one go (a command or a request).
MAX_CODES = 200_000
#: The web page builds letters in the request too, so it makes fewer at once.
MAX_CODES_WEB = 10_000
#: Rows per INSERT statement.
INSERT_CHUNK = 5_000
#: Letters per HTML file in a ZIP (a browser prints a thousand pages comfortably).
LETTERS_PER_FILE = 1_000
#: The public voting page that takes a code (blueprint ``rounds``, not built here).
VOTE_ENDPOINT = "rounds.start_with_code"
CSV_HEADER = ["code", "area_code", "area_name", "url"]
BATCH_NAME = re.compile(r"^[\w .,'()#+-]{1,60}$")
PAPER_PHASES = (Phase.VOTING, Phase.COUNTING)
CSS_PATH = Path(__file__).resolve().parent.parent.parent / "static" / "css" / "letters.css"


class CodesRefused(DomainError):
    """An administrative act on codes or paper ballots cannot go ahead.

    ``messages`` are translated; ``field`` names the form field they belong to.
    """

    def __init__(self, messages, field: str | None = None):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)
        self.field = field


# --- generating and exporting codes ------------------------------------------------------


def vote_url_builder() -> Callable[[str], str]:
    """Return a function that gives the voting URL (for the QR code) of a plain code.

    The URL comes from the public voting page ``rounds.start_with_code`` once that page is
    registered; until then from BASE_URL + "/stem/<code>", the path that page will have.
    The URL is built once and the code put in, so 50,000 URLs cost nothing.
    """
    marker = "CODEPLACEHOLDER"
    if VOTE_ENDPOINT in current_app.view_functions:
        pattern = external_url(VOTE_ENDPOINT, code=marker)
    else:
        pattern = current_app.config["BASE_URL"].rstrip("/") + "/stem/" + marker
    head, tail = pattern.split(marker, 1)
    return lambda code: head + code + tail


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
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    area = round_area.area
    writer.writerows([format_code(c), area.code, area.name, url(c)] for c in codes)
    return buffer.getvalue()


def write_csv(path: Path, round_area: RoundArea, codes: list[str]) -> None:
    """Write the CSV to a new file; refuse to overwrite one."""
    with open(path, "x", encoding="utf-8", newline="") as fh:
        fh.write(export_csv(round_area, codes))


def letter_qr(data: str, label: str) -> Markup:
    """Return a QR code as compact SVG, about eight times faster than ``qr_svg``.

    A fixed mask pattern skips the search for the best of eight masks, which is where
    ``qr_svg`` spends its time (9.5 ms a code: 8 minutes for 50,000 letters). Every mask
    gives a valid QR code; the URL is short, so reading it is not a problem.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=0
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                parts.append(f"M{start + 2} {y + 2}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    full = size + 4
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" class="qr" '
        f'role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{full}" height="{full}" fill="#fff"/>'
        f'<path d="{"".join(parts)}" fill="#000"/></svg>'
    )


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
    letters = [Letter(code=c, url=url(c), qr=letter_qr(url(c), label)) for c in codes]
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


# --- counts and re-issue -----------------------------------------------------------------


def code_counts(round_: BudgetRound) -> dict[int, dict[str, int]]:
    """Return, per round area id, how many codes are issued (unused), used, void and in total."""
    counts: dict[int, dict[str, int]] = {
        ra.id: {"issued": 0, "used": 0, "void": 0, "expired": 0, "total": 0} for ra in round_.areas
    }
    rows = db.session.execute(
        select(VotingCode.round_area_id, VotingCode.status, func.count(VotingCode.id))
        .join(RoundArea)
        .where(RoundArea.round_id == round_.id)
        .group_by(VotingCode.round_area_id, VotingCode.status)
    ).all()
    for ra_id, status, n in rows:
        counts[ra_id][CodeStatus(status).value] = n
        counts[ra_id]["total"] += n
    return counts


def _code_of_area(round_area: RoundArea, text: str) -> VotingCode:
    """Return the code typed for this area, or refuse with a reason for the code field."""
    try:
        normalized = normalize_code(text)
    except InvalidCode as error:
        if error.reason == "check":
            raise CodesRefused(
                [_l("This code has a typing error. Check every character.")], field="code"
            ) from None
        raise CodesRefused(
            [_l("A voting code has 13 letters and digits, like ABCD-EFGH-JKMNP.")], field="code"
        ) from None
    code = db.session.scalar(
        select(VotingCode).where(VotingCode.code_hash == voting_code_hash(normalized))
    )
    if code is None:
        raise CodesRefused([_l("This code is unknown.")], field="code")
    if code.round_area_id != round_area.id:
        other = db.session.get(RoundArea, code.round_area_id)
        if other is not None and other.round_id == round_area.round_id:
            raise CodesRefused(
                [_l("This code belongs to another area of this round.")], field="code"
            )
        raise CodesRefused([_l("This code belongs to another voting round.")], field="code")
    return code


def reissue_code(round_area: RoundArea, old_code_text: str, actor: User, reason: str) -> str:
    """Make a lost code void and issue a new one in its place; return the new code once.

    Refused when the old code was used or is void already, and once voting has ended. The
    void is a conditional update, so a vote with the old code at the same moment wins or
    loses cleanly. Flushes only.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CodesRefused([_l("Say why the code is replaced.")], field="reason")
    if phase(round_area.round) not in (
        Phase.UPCOMING,
        Phase.SUBMISSION,
        Phase.REVIEW,
        Phase.VOTING,
    ):
        raise CodesRefused([_l("Voting has ended: codes can no longer be replaced.")])
    old = _code_of_area(round_area, old_code_text)
    if old.status == CodeStatus.USED:
        raise CodesRefused(
            [_l("This code has been used to vote. A used code cannot be replaced.")], field="code"
        )
    if old.status != CodeStatus.ISSUED:
        raise CodesRefused(
            [_l("This code is void already. Look up the code that replaced it.")], field="code"
        )
    seen: set[str] = set()
    new_text, new_hash = _new_code(seen)
    while db.session.scalar(select(VotingCode.id).where(VotingCode.code_hash == new_hash)):
        new_text, new_hash = _new_code(seen)
    new = VotingCode(round_area_id=round_area.id, code_hash=new_hash, status=CodeStatus.ISSUED)
    db.session.add(new)
    db.session.flush()
    voided = db.session.execute(
        update(VotingCode)
        .where(VotingCode.id == old.id, VotingCode.status == CodeStatus.ISSUED)
        .values(status=CodeStatus.VOID, void_reason=reason[:200], replaced_by_id=new.id)
        .execution_options(synchronize_session=False)
    )
    if voided.rowcount != 1:
        raise CodesRefused(
            [_l("This code has been used to vote. A used code cannot be replaced.")], field="code"
        )
    db.session.expire(old)
    audit.record(
        actor,
        "round.code_reissued",
        round_area.round,
        summary=reason[:300],
        before={"code_id": old.id, "status": "issued"},
        after={
            "code_id": old.id,
            "status": "void",
            "replaced_by_id": new.id,
            "area": round_area.area.code,
            "reason": reason[:200],
        },
    )
    return new_text


# --- paper ballots -----------------------------------------------------------------------


def check_paper_phase(round_: BudgetRound) -> None:
    """Refuse paper ballots outside voting and counting."""
    if phase(round_) not in PAPER_PHASES:
        raise CodesRefused([_l("Paper ballots can be entered during voting and counting only.")])


def check_choices(round_area: RoundArea, choices: dict[int, int]) -> None:
    """Refuse choices that are not a valid ballot in this area (field ``choices``)."""
    costs = {item.id: item.cost_cents for item in round_area.items}
    try:
        check_ballot(choices, costs, ballot_rules(round_area))
    except BallotProblem as problem:
        raise CodesRefused([ballot_problem_message(problem)], field="choices") from None


def paper_code(round_area: RoundArea, text: str | None) -> VotingCode | None:
    """Return the voting code written on a paper ballot (None when none), or refuse."""
    if not (text or "").strip():
        return None
    try:
        code = find_code(round_area.round, text)
    except VoteRefused as refused:
        raise CodesRefused(refused.messages, field="code") from None
    if code.status != CodeStatus.ISSUED:
        raise CodesRefused([_l("This code has already been used to vote.")], field="code")
    if code.round_area_id != round_area.id:
        raise CodesRefused([_l("This code belongs to another area of this round.")], field="code")
    return code


def enter_paper_ballot(
    round_area: RoundArea, choices: dict[int, int], code_text: str | None, actor: User
) -> None:
    """Store one paper ballot at once (single entry); mark its code used when one is given."""
    check_paper_phase(round_area.round)
    check_choices(round_area, choices)
    code = paper_code(round_area, code_text)
    try:
        cast_ballot(round_area, choices, code=code, is_paper=True)
    except VoteRefused as refused:
        raise CodesRefused(refused.messages, field="code" if code else "choices") from None
    audit.record(
        actor,
        "round.paper_ballot",
        round_area.round,
        summary=f"{round_area.area.code} {round_area.area.name}",
        after={"area": round_area.area.code, "with_code": code is not None},
    )


def batch_name_taken(round_: BudgetRound, name: str) -> bool:
    """Tell whether a batch of this name is being entered or was saved in the round."""
    in_progress = db.session.scalar(
        select(PaperEntry.id)
        .join(RoundArea, RoundArea.id == PaperEntry.round_area_id)
        .where(RoundArea.round_id == round_.id, func.lower(PaperEntry.batch) == name.lower())
        .limit(1)
    )
    if in_progress is not None:
        return True
    saved = db.session.scalar(
        select(AuditEntry.id)
        .where(
            AuditEntry.action.in_(("round.paper_batch_saved", "round.paper_batch_discarded")),
            AuditEntry.object_type == BudgetRound.__tablename__,
            AuditEntry.object_id == str(round_.id),
            func.lower(AuditEntry.summary) == name.lower(),
        )
        .limit(1)
    )
    return saved is not None


def check_batch_name(round_: BudgetRound, name: str) -> str:
    """Return a new batch name, cleaned; refuse a name in use or with odd characters."""
    name = " ".join((name or "").split())
    if not BATCH_NAME.match(name):
        raise CodesRefused(
            [_l("Use at most 60 letters, digits, spaces and dashes, without a slash.")],
            field="batch",
        )
    if batch_name_taken(round_, name):
        raise CodesRefused(
            [_l("This name is already used in this round. Choose another name.")], field="batch"
        )
    return name


@dataclass
class BatchSummary:
    """A double-entry batch being typed in: who typed how many ballots."""

    round_area: RoundArea
    batch: str
    counts: dict[int, int]
    typists: dict[int, int | None]


def batches(round_: BudgetRound) -> list[BatchSummary]:
    """Return the batches of the round that are being typed in."""
    rows = db.session.execute(
        select(
            PaperEntry.round_area_id,
            PaperEntry.batch,
            PaperEntry.entry,
            func.count(PaperEntry.id),
            func.min(PaperEntry.entered_by_id),
        )
        .join(RoundArea, RoundArea.id == PaperEntry.round_area_id)
        .where(RoundArea.round_id == round_.id)
        .group_by(PaperEntry.round_area_id, PaperEntry.batch, PaperEntry.entry)
    ).all()
    areas = {ra.id: ra for ra in round_.areas}
    found: dict[tuple[int, str], BatchSummary] = {}
    for ra_id, batch, entry, n, typist in rows:
        summary = found.setdefault(
            (ra_id, batch), BatchSummary(areas[ra_id], batch, {1: 0, 2: 0}, {1: None, 2: None})
        )
        summary.counts[entry] = n
        summary.typists[entry] = typist
    return sorted(found.values(), key=lambda b: (b.round_area.id, b.batch))


def batch_entries(round_area: RoundArea, batch: str) -> dict[int, list[PaperEntry]]:
    """Return the rows of a batch per entry (1 and 2), in position order."""
    rows = db.session.scalars(
        select(PaperEntry)
        .where(PaperEntry.round_area_id == round_area.id, PaperEntry.batch == batch)
        .order_by(PaperEntry.entry, PaperEntry.position)
    ).all()
    entries: dict[int, list[PaperEntry]] = {1: [], 2: []}
    for row in rows:
        entries[row.entry].append(row)
    return entries


def typist_of(round_area: RoundArea, batch: str, entry: int) -> int | None:
    """Return the id of the account that types this entry of the batch (None: not begun)."""
    return db.session.scalar(
        select(PaperEntry.entered_by_id)
        .where(
            PaperEntry.round_area_id == round_area.id,
            PaperEntry.batch == batch,
            PaperEntry.entry == entry,
        )
        .limit(1)
    )


def check_typist(round_area: RoundArea, batch: str, entry: int, actor: User) -> None:
    """Refuse unless the account may type this entry: its own, and not both entries."""
    if entry not in (1, 2):
        raise CodesRefused([_l("A batch has a first and a second entry only.")])
    other = typist_of(round_area, batch, 3 - entry)
    if other is not None and other == actor.id:
        raise CodesRefused(
            [_l("You typed the other entry of this batch. Someone else must type this one.")]
        )
    own = typist_of(round_area, batch, entry)
    if own is not None and own != actor.id:
        raise CodesRefused([_l("Someone else is typing this entry of the batch.")])
    if entry == 2 and typist_of(round_area, batch, 1) is None:
        raise CodesRefused([_l("The first entry of this batch has not been started.")])


def _stored_choices(choices: dict[int, int]) -> dict[str, int]:
    return {str(item_id): points for item_id, points in sorted(choices.items())}


def add_paper_entry(
    round_area: RoundArea,
    batch: str,
    entry: int,
    choices: dict[int, int],
    code_text: str | None,
    actor: User,
) -> PaperEntry:
    """Keep one typed paper ballot of a batch (not counted yet); return it."""
    check_paper_phase(round_area.round)
    check_typist(round_area, batch, entry, actor)
    check_choices(round_area, choices)
    code = paper_code(round_area, code_text)
    position = (
        db.session.scalar(
            select(func.max(PaperEntry.position)).where(
                PaperEntry.round_area_id == round_area.id,
                PaperEntry.batch == batch,
                PaperEntry.entry == entry,
            )
        )
        or 0
    ) + 1
    row = PaperEntry(
        round_area_id=round_area.id,
        batch=batch,
        entry=entry,
        position=position,
        entered_by_id=actor.id,
        choices=_stored_choices(choices),
        code_hash=code.code_hash if code else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        raise CodesRefused(
            [_l("Someone saved a ballot at the same moment. Send it again.")]
        ) from None
    return row


def change_paper_entry(
    row: PaperEntry, choices: dict[int, int], code_text: str | None, actor: User
) -> None:
    """Correct one typed ballot of one's own entry."""
    round_area = area_by_id(row.round_area_id)
    check_paper_phase(round_area.round)
    if row.entered_by_id != actor.id:
        raise CodesRefused([_l("Only the person who typed this entry can correct it.")])
    check_choices(round_area, choices)
    code = paper_code(round_area, code_text)
    row.choices = _stored_choices(choices)
    row.code_hash = code.code_hash if code else None
    db.session.flush()


def remove_paper_entry(row: PaperEntry, actor: User) -> None:
    """Remove one typed ballot from one's own entry; later ballots move up one place."""
    if row.entered_by_id != actor.id:
        raise CodesRefused([_l("Only the person who typed this entry can correct it.")])
    key = (row.round_area_id, row.batch, row.entry)
    position = row.position
    db.session.delete(row)
    db.session.flush()
    later = db.session.scalars(
        select(PaperEntry)
        .where(
            PaperEntry.round_area_id == key[0],
            PaperEntry.batch == key[1],
            PaperEntry.entry == key[2],
            PaperEntry.position > position,
        )
        .order_by(PaperEntry.position)
    ).all()
    for other in later:
        other.position -= 1
        db.session.flush()


@dataclass
class Comparison:
    """One position of a batch: what each person typed, and whether it is the same."""

    position: int
    first: PaperEntry | None
    second: PaperEntry | None

    @property
    def same(self) -> bool:
        """Tell whether both people typed the same ballot here."""
        return (
            self.first is not None
            and self.second is not None
            and self.first.choices == self.second.choices
            and self.first.code_hash == self.second.code_hash
        )


def compare_batch(round_area: RoundArea, batch: str) -> list[Comparison]:
    """Return the positions of a batch side by side."""
    entries = batch_entries(round_area, batch)
    first = {row.position: row for row in entries[1]}
    second = {row.position: row for row in entries[2]}
    last = max([0, *first, *second])
    return [Comparison(p, first.get(p), second.get(p)) for p in range(1, last + 1)]


def save_batch(round_area: RoundArea, batch: str, actor: User) -> int:
    """Count every ballot of a batch both people typed the same, in one transaction.

    The typed rows are deleted first with a check on their number, so two people
    saving the same batch at once cannot count it twice. Returns the number of ballots.
    """
    check_paper_phase(round_area.round)
    rows = compare_batch(round_area, batch)
    if not rows or not all(r.first is not None and r.second is not None for r in rows):
        raise CodesRefused([_l("Both people must type every ballot of the batch first.")])
    if not all(r.same for r in rows):
        raise CodesRefused([_l("The two entries differ. Correct them first.")])
    ballots = [(r.first.choices, r.first.code_hash) for r in rows]
    removed = db.session.execute(
        delete(PaperEntry)
        .where(PaperEntry.round_area_id == round_area.id, PaperEntry.batch == batch)
        .execution_options(synchronize_session=False)
    )
    if removed.rowcount != 2 * len(rows):
        raise CodesRefused([_l("This batch has just been saved or changed by someone else.")])
    with_code = 0
    for position, (choices, hashed) in enumerate(ballots, start=1):
        code = None
        if hashed is not None:
            code = db.session.scalar(select(VotingCode).where(VotingCode.code_hash == hashed))
            with_code += 1
        try:
            cast_ballot(
                round_area,
                {int(item_id): points for item_id, points in choices.items()},
                code=code,
                is_paper=True,
            )
        except VoteRefused as refused:
            raise CodesRefused(
                [
                    _l(
                        "Ballot %(num)d: %(reason)s",
                        num=position,
                        reason="; ".join(str(m) for m in refused.messages),
                    )
                ]
            ) from None
    audit.record(
        actor,
        "round.paper_batch_saved",
        round_area.round,
        summary=batch,
        after={"area": round_area.area.code, "ballots": len(ballots), "with_code": with_code},
    )
    return len(ballots)


def discard_batch(round_area: RoundArea, batch: str, actor: User) -> int:
    """Throw away both entries of a batch without counting them; return the rows removed."""
    removed = db.session.execute(
        delete(PaperEntry)
        .where(PaperEntry.round_area_id == round_area.id, PaperEntry.batch == batch)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed:
        audit.record(
            actor,
            "round.paper_batch_discarded",
            round_area.round,
            summary=batch,
            after={"area": round_area.area.code, "rows": removed},
        )
    return removed


# --- integrity signals -------------------------------------------------------------------


@dataclass
class SignalDay:
    """The network prefixes of one day with more ballots than the threshold."""

    day: date
    prefixes: list[tuple[str, int]]


def network_signals(round_: BudgetRound, threshold: int) -> list[SignalDay]:
    """Return, newest day first, the prefixes (short hash ids) with more than ``threshold`` ballots."""
    rows = db.session.execute(
        select(NetworkSignal.day, NetworkSignal.prefix_hash, NetworkSignal.ballots)
        .where(NetworkSignal.round_id == round_.id, NetworkSignal.ballots > threshold)
        .order_by(NetworkSignal.day.desc(), NetworkSignal.ballots.desc(), NetworkSignal.prefix_hash)
    ).all()
    days: dict[date, list[tuple[str, int]]] = defaultdict(list)
    for day, prefix_hash, ballots in rows:
        days[day].append((prefix_hash[:8], ballots))
    return [SignalDay(day, prefixes) for day, prefixes in days.items()]


# --- command line ------------------------------------------------------------------------


@click.group("rounds")
def rounds_cli():
    """Budget rounds: voting codes."""


@rounds_cli.command("codes")
@click.argument("round_area_id", type=int)
@click.option("--count", "count", type=int, required=True, help="How many codes to make.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The CSV file for the mailing house (must not exist yet).",
)
@click.option(
    "--letters",
    "letters",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the letters as one print-ready HTML file (must not exist yet).",
)
def codes_command(round_area_id: int, count: int, out: Path, letters: Path | None):
    """Make voting codes for an area of a round and write them once to a CSV (and letters)."""
    round_area = area_by_id(round_area_id)
    if round_area is None:
        raise click.BadParameter("no such round area", param_hint="ROUND_AREA_ID")
    if not 1 <= count <= MAX_CODES:
        raise click.BadParameter(f"use a number from 1 to {MAX_CODES}", param_hint="--count")
    if is_locked(round_area.round):
        raise click.ClickException("Voting has started in this round: codes can no longer be made.")
    targets = [out] + ([letters] if letters else [])
    for path in targets:
        if path.exists():
            raise click.ClickException(f"{path} exists already; it is never overwritten.")
    if letters and letters.resolve() == out.resolve():
        raise click.BadParameter("use two different files", param_hint="--letters")
    written: list[Path] = []
    try:
        with click.progressbar(length=count, label="Codes", show_pos=True) as bar:
            codes = generate_codes(round_area, count, bar.update)
        write_csv(out, round_area, codes)
        written.append(out)
        if letters:
            with click.progressbar(length=count, label="Letters", show_pos=True) as bar:
                parts = []
                for start in range(0, count, LETTERS_PER_FILE):
                    part = codes[start : start + LETTERS_PER_FILE]
                    parts.append(letters_html(round_area, part))
                    bar.update(len(part))
            with open(letters, "x", encoding="utf-8") as fh:
                written.append(letters)
                fh.write(_join_letter_parts(parts))
        record_export(round_area, len(codes), [p.name for p in written], None)
        db.session.commit()
    except FileExistsError as error:
        db.session.rollback()
        _remove(written)
        raise click.ClickException(
            f"{error.filename} exists already; it is never overwritten."
        ) from None
    except CodesRefused as refused:
        db.session.rollback()
        _remove(written)
        raise click.ClickException(str(refused)) from None
    except BaseException:
        db.session.rollback()
        _remove(written)
        raise
    click.echo(f"{len(codes)} codes for {round_area.area.name} written to {out}.")
    if letters:
        click.echo(f"Letters written to {letters}.")
    click.echo("Only the hashes are kept: these files are the only copy of the codes.")


def _join_letter_parts(parts: list[str]) -> str:
    """Join letter pages rendered in parts into one document (the body of each part)."""
    if len(parts) == 1:
        return parts[0]
    head, _sep, _rest = parts[0].partition("<!-- letters -->")
    bodies = [p.split("<!-- letters -->", 2)[1] for p in parts]
    tail = parts[0].split("<!-- letters -->", 2)[2]
    return head + "".join(bodies) + tail


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
