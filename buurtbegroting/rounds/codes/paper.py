"""Paper ballots: single entry, or double entry by two people that must agree."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from buurtbegroting import audit
from buurtbegroting.domain.rounds import BallotProblem, check_ballot
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    AuditEntry,
    BudgetRound,
    CodeStatus,
    PaperEntry,
    RoundArea,
    User,
    VotingCode,
)
from buurtbegroting.rounds.codes.common import BATCH_NAME, PAPER_PHASES, CodesRefused
from buurtbegroting.rounds.services import (
    VoteRefused,
    area_by_id,
    ballot_problem_message,
    ballot_rules,
    cast_ballot,
    find_code,
    phase,
)


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
