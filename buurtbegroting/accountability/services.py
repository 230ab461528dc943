"""Accountability services: funding, payout, milestones, updates, expenses, reports.

Services flush and leave the commit to the caller. Those that write files return a
:class:`FileChanges`; the caller commits, then deletes replaced files, or discards the
written ones when the commit fails, so nothing is left half-written on disk.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.accountability import iban
from buurtbegroting.accountability.receipts import Receipt
from buurtbegroting.domain import DomainError
from buurtbegroting.domain import ideas as rules
from buurtbegroting.extensions import db
from buurtbegroting.ideas import services as idea_services
from buurtbegroting.ideas.services import FileChanges, thumb_name
from buurtbegroting.images import ProcessedImage
from buurtbegroting.mail import send_mail
from buurtbegroting.models import (
    AccountabilityPhoto,
    Expense,
    FinalReport,
    Funding,
    FundingSource,
    GroupMembership,
    Idea,
    IdeaStatus,
    MemberRole,
    Milestone,
    ProgressUpdate,
    ReminderSent,
    ReportStatus,
    ThematicGroup,
    User,
    utcnow,
)
from buurtbegroting.urls import external_url


class NotFundable(idea_services.IdeaRefused):
    """The idea's status does not allow funding (only accepted ideas are funded).

    Unlike its parent it does not translate its message on creation, so it can be raised
    outside a request (by a command that closes a round).
    """

    def __init__(self, status: IdeaStatus):
        Exception.__init__(self, f"idea in status {status.value} cannot be funded")
        self.messages = [_l("This is not possible in the idea's current status.")]


def report_due(planned_end_on: date | None) -> date | None:
    """Return when the final report is due: ACCOUNTABILITY_REPORT_WEEKS after the planned end."""
    if planned_end_on is None:
        return None
    weeks = int(current_app.config.get("ACCOUNTABILITY_REPORT_WEEKS", 4))
    return planned_end_on + timedelta(weeks=weeks)


def funding_of(idea: Idea) -> Funding | None:
    """Return the idea's Funding, or None when it was not funded."""
    return db.session.scalar(select(Funding).where(Funding.idea_id == idea.id))


def fund_idea(
    idea: Idea,
    *,
    source: FundingSource,
    amount_cents: int,
    actor: User | None,
    round_area=None,
    planned_end_on: date | None = None,
) -> Funding:
    """Record that an idea is funded (from a closed round or by cheques).

    Creates its Funding (report_due_on = planned end + ACCOUNTABILITY_REPORT_WEEKS
    weeks, when known) and moves the idea to IdeaStatus.FUNDED with
    ideas.services.change_status (which e-mails the author); flushes only.
    Idempotent: a second call for the same idea returns the existing Funding.

    :raises NotFundable: (an ideas.services.IdeaRefused) when the idea's status does not allow funding
        (only accepted ideas are funded).
    :raises ValueError: for a negative amount.
    """
    existing = funding_of(idea)
    if existing is not None:
        return existing
    if amount_cents is None or int(amount_cents) < 0:
        raise ValueError("amount_cents must be zero or more")
    if idea.status != IdeaStatus.FUNDED:
        # Raises IdeaRefused (before anything is written) unless the idea is accepted.
        try:
            rules.check_transition(idea.status.value, IdeaStatus.FUNDED.value)
        except rules.InvalidTransition:
            raise NotFundable(idea.status) from None
    funding = Funding(
        idea_id=idea.id,
        source=FundingSource(source),
        round_area_id=round_area.id if round_area is not None else None,
        amount_cents=int(amount_cents),
        status=ReportStatus.FUNDED,
        planned_end_on=planned_end_on,
        report_due_on=report_due(planned_end_on),
        returned_cents=0,
    )
    try:
        with db.session.begin_nested():
            db.session.add(funding)
            db.session.flush()
    except IntegrityError:
        # Another transaction funded the same idea at the same moment.
        other = funding_of(idea)
        if other is None:
            raise
        return other
    if idea.status != IdeaStatus.FUNDED:
        idea_services.change_status(idea, IdeaStatus.FUNDED, actor)
    db.session.flush()
    return funding


# --- errors and helpers ----------------------------------------------------------------------


class AccountabilityRefused(DomainError):
    """A rule refused the action; ``messages`` are lazy strings, ``field`` names the form field."""

    def __init__(self, message, field: str | None = None):
        Exception.__init__(self, "accountability action refused")
        self.messages = [message]
        self.field = field


#: Statuses in which the initiators may still add milestones, updates, expenses and write the report.
OPEN_STATUSES = {
    ReportStatus.FUNDED,
    ReportStatus.IN_PROGRESS,
    ReportStatus.COMPLETED,
    ReportStatus.CHANGES_REQUESTED,
}

#: Which accountability status may follow which.
TRANSITIONS: dict[ReportStatus, set[ReportStatus]] = {
    ReportStatus.FUNDED: {ReportStatus.IN_PROGRESS},
    ReportStatus.IN_PROGRESS: {ReportStatus.COMPLETED},
    ReportStatus.COMPLETED: {ReportStatus.REPORT_SUBMITTED},
    ReportStatus.REPORT_SUBMITTED: {ReportStatus.APPROVED, ReportStatus.CHANGES_REQUESTED},
    ReportStatus.CHANGES_REQUESTED: {ReportStatus.REPORT_SUBMITTED},
    ReportStatus.APPROVED: set(),
}

#: The idea status that mirrors an accountability status, where one exists.
IDEA_MIRROR = {
    ReportStatus.IN_PROGRESS: IdeaStatus.IN_PROGRESS,
    ReportStatus.COMPLETED: IdeaStatus.COMPLETED,
    ReportStatus.APPROVED: IdeaStatus.ACCOUNTED,
}
_IDEA_CHAIN = [
    IdeaStatus.FUNDED,
    IdeaStatus.IN_PROGRESS,
    IdeaStatus.COMPLETED,
    IdeaStatus.ACCOUNTED,
]

NOT_POSSIBLE = _l("This is not possible in the current status of the accountability.")


def initiators(funding: Funding) -> list[User]:
    """Return the people who speak for the idea: its author and its group's coordinators."""
    people = {funding.idea.author.id: funding.idea.author}
    group = funding.idea.group
    if group is not None:
        for membership in group.memberships:
            if membership.role == MemberRole.COORDINATOR and membership.user.is_active:
                people.setdefault(membership.user.id, membership.user)
    return list(people.values())


def is_overdue(funding: Funding, today: date | None = None) -> bool:
    """Tell whether the final report is late: its due date has passed and it was not sent."""
    today = today or date.today()
    return (
        funding.report_due_on is not None
        and funding.report_due_on < today
        and funding.status in OPEN_STATUSES
    )


def spent_cents(funding: Funding) -> int:
    """Return the total of the expenses."""
    return sum(e.amount_cents for e in funding.expenses)


def _lock(funding: Funding) -> None:
    """Lock the funding's row until commit (PostgreSQL), so a form sent twice waits for the first."""
    db.session.execute(select(Funding.id).where(Funding.id == funding.id).with_for_update()).all()


def _require_open(funding: Funding) -> None:
    if funding.status not in OPEN_STATUSES:
        raise AccountabilityRefused(NOT_POSSIBLE)


def _mirror(idea: Idea, target: IdeaStatus, actor: User | None, message: str = "") -> None:
    """Walk the idea along funded → in progress → completed → accounted up to ``target``.

    Only the last step e-mails the author, and only when the municipality took it.
    """
    if idea.status not in _IDEA_CHAIN or _IDEA_CHAIN.index(idea.status) >= _IDEA_CHAIN.index(
        target
    ):
        return
    while idea.status != target:
        step = _IDEA_CHAIN[_IDEA_CHAIN.index(idea.status) + 1]
        notify = step == target and target == IdeaStatus.ACCOUNTED
        idea_services.change_status(
            idea, step, actor, message if step == target else "", notify=notify
        )


def _move(funding: Funding, target: ReportStatus, actor: User | None, message: str = "") -> None:
    if target not in TRANSITIONS[funding.status]:
        raise AccountabilityRefused(NOT_POSSIBLE)
    funding.status = target
    mirrored = IDEA_MIRROR.get(target)
    if mirrored is not None:
        _mirror(funding.idea, mirrored, actor, message)
    db.session.flush()


def mark_started(funding: Funding, actor: User) -> None:
    """The initiators say the work has started."""
    _lock(funding)
    _move(funding, ReportStatus.IN_PROGRESS, actor)


def mark_completed(funding: Funding, actor: User) -> None:
    """The initiators say the work is done (also from "funded", through "in progress")."""
    _lock(funding)
    if funding.status == ReportStatus.FUNDED:
        _move(funding, ReportStatus.IN_PROGRESS, actor)
    _move(funding, ReportStatus.COMPLETED, actor)


def set_planned_end(funding: Funding, planned_end_on: date) -> None:
    """Set the planned end; the report is due ACCOUNTABILITY_REPORT_WEEKS weeks later."""
    _require_open(funding)
    funding.planned_end_on = planned_end_on
    funding.report_due_on = report_due(planned_end_on)
    db.session.flush()


def set_bank_account(funding: Funding, account: str, actor: User) -> None:
    """Store the bank account (IBAN) for the payout; the log keeps only a masked form."""
    if not iban.is_valid(account):
        raise AccountabilityRefused(
            _l("This is not a valid IBAN. Check the number, for example NL91 ABNA 0417 1643 00."),
            field="bank_account",
        )
    if funding.payout_on is not None:
        raise AccountabilityRefused(
            _l("The money has already been paid out. Ask the municipality to change the account."),
            field="bank_account",
        )
    before = iban.masked(funding.bank_account)
    funding.bank_account = iban.normalise(account)
    db.session.flush()
    audit.record(
        actor,
        "funding.bank_account",
        funding,
        summary=funding.idea.title,
        before={"bank_account": before},
        after={"bank_account": iban.masked(funding.bank_account)},
    )


# --- milestones ------------------------------------------------------------------------------


def add_milestone(funding: Funding, title: str, planned_on: date) -> Milestone:
    """Add a planned step; the same step sent twice is kept once."""
    _lock(funding)
    _require_open(funding)
    for existing in funding.milestones:
        if existing.title == title and existing.planned_on == planned_on:
            return existing
    milestone = Milestone(funding=funding, title=title, planned_on=planned_on)
    db.session.add(milestone)
    db.session.flush()
    return milestone


def mark_milestone_done(milestone: Milestone, done_on: date | None) -> None:
    """Record when a step was done (None: not done after all)."""
    _require_open(milestone.funding)
    milestone.done_on = done_on
    db.session.flush()


def delete_milestone(milestone: Milestone) -> None:
    """Remove a planned step."""
    _require_open(milestone.funding)
    db.session.delete(milestone)
    db.session.flush()


# --- files -----------------------------------------------------------------------------------


def photo_folder() -> Path:
    """Return the folder of photos of progress updates and reports (public once linked)."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "accountability"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def receipt_folder() -> Path:
    """Return the private folder of receipts; files in it are served only after a permission check."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "receipts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_photos(photos: list[ProcessedImage], changes: FileChanges) -> list[AccountabilityPhoto]:
    folder = photo_folder()
    rows = []
    for position, processed in enumerate(photos):
        filename = secrets.token_hex(16) + processed.extension
        for name, data in ((filename, processed.data), (thumb_name(filename), processed.thumb)):
            path = folder / name
            path.write_bytes(data)
            changes.written.append(path)
        rows.append(
            AccountabilityPhoto(
                filename=filename, width=processed.width, height=processed.height, position=position
            )
        )
    return rows


def _check_photo_count(photos: list[ProcessedImage], already: int = 0) -> None:
    limit = current_app.config["PHOTO_MAX_COUNT"]
    if already + len(photos) > limit:
        raise AccountabilityRefused(
            _l("You can add at most %(num)d photos.", num=limit), field="photos"
        )


# --- progress updates ------------------------------------------------------------------------


def add_update(
    funding: Funding, text: str, photos: list[ProcessedImage], author: User
) -> tuple[ProgressUpdate, FileChanges]:
    """Add a progress update with photos; write the files, flush the rows.

    The same text sent twice within ten minutes is kept once. The caller commits, and
    calls ``discard_written()`` on the returned changes when the commit fails.
    """
    _lock(funding)
    _require_open(funding)
    _check_photo_count(photos)
    recent = utcnow() - DUPLICATE_WINDOW
    for existing in funding.updates:
        if existing.text == text and existing.created_at >= recent:
            return existing, FileChanges()
    changes = FileChanges()
    try:
        update = ProgressUpdate(funding=funding, text=text, author_id=author.id)
        update.photos = _write_photos(photos, changes)
        db.session.add(update)
        db.session.flush()
    except Exception:
        changes.discard_written()
        raise
    return update, changes


def delete_update(update: ProgressUpdate) -> FileChanges:
    """Remove a progress update; its photo files are deleted after the commit."""
    _require_open(update.funding)
    changes = FileChanges()
    folder = photo_folder()
    for photo in update.photos:
        changes.to_delete += [folder / photo.filename, folder / thumb_name(photo.filename)]
    db.session.delete(update)
    db.session.flush()
    return changes


# --- expenses --------------------------------------------------------------------------------

#: A form sent twice within this time makes one row.
DUPLICATE_WINDOW = timedelta(minutes=10)


def add_expense(
    funding: Funding,
    *,
    description: str,
    amount_cents: int,
    spent_on: date,
    receipt: Receipt | None,
) -> tuple[Expense, FileChanges]:
    """Add an expense with its receipt (written to the private folder); flush only.

    The same expense (description, amount, date) sent twice within ten minutes is kept
    once. The caller commits, and calls ``discard_written()`` when the commit fails.
    """
    _lock(funding)
    _require_open(funding)
    recent = utcnow() - DUPLICATE_WINDOW
    for existing in funding.expenses:
        if (
            existing.description == description
            and existing.amount_cents == amount_cents
            and existing.spent_on == spent_on
            and existing.created_at >= recent
        ):
            return existing, FileChanges()
    changes = FileChanges()
    try:
        expense = Expense(
            funding=funding, description=description, amount_cents=amount_cents, spent_on=spent_on
        )
        if receipt is not None:
            filename = secrets.token_hex(16) + receipt.extension
            path = receipt_folder() / filename
            path.write_bytes(receipt.data)
            changes.written.append(path)
            expense.receipt_filename = filename
            expense.receipt_mimetype = receipt.mimetype
        db.session.add(expense)
        db.session.flush()
    except Exception:
        changes.discard_written()
        raise
    return expense, changes


def delete_expense(expense: Expense) -> FileChanges:
    """Remove an expense; its receipt file is deleted after the commit."""
    _require_open(expense.funding)
    changes = FileChanges()
    if expense.receipt_filename:
        changes.to_delete.append(receipt_folder() / expense.receipt_filename)
    db.session.delete(expense)
    db.session.flush()
    return changes


# --- final report ----------------------------------------------------------------------------


def save_report(
    funding: Funding,
    *,
    text: str,
    participants: int | None,
    new_photos: list[ProcessedImage],
    remove_photo_ids: list[int],
    actor: User,
    submit: bool,
) -> FileChanges:
    """Save the final report (and send it to the municipality when ``submit``); flush only.

    Sending walks the accountability on to "completed" first when needed.
    """
    _lock(funding)
    _require_open(funding)
    report = funding.report
    keep = [p for p in (report.photos if report else []) if p.id not in set(remove_photo_ids)]
    _check_photo_count(new_photos, already=len(keep))
    changes = FileChanges()
    folder = photo_folder()
    try:
        if report is None:
            report = FinalReport(funding=funding, text=text)
            db.session.add(report)
        removed = [p for p in report.photos if p.id in set(remove_photo_ids)]
        report.text = text
        report.participants = participants
        added = _write_photos(new_photos, changes)
        photos = keep + added
        for position, photo in enumerate(photos):
            photo.position = position
        report.photos = photos
        if submit:
            if funding.status == ReportStatus.FUNDED:
                _move(funding, ReportStatus.IN_PROGRESS, actor)
            if funding.status == ReportStatus.IN_PROGRESS:
                _move(funding, ReportStatus.COMPLETED, actor)
            _move(funding, ReportStatus.REPORT_SUBMITTED, actor)
            report.submitted_at = utcnow()
            report.reviewed_at = None
            report.reviewed_by_id = None
        db.session.flush()
    except Exception:
        changes.discard_written()
        raise
    for photo in removed:
        changes.to_delete += [folder / photo.filename, folder / thumb_name(photo.filename)]
    return changes


# --- the municipality ------------------------------------------------------------------------


def record_payout(
    funding: Funding, *, amount_cents: int, paid_on: date, reference: str, actor: User
) -> None:
    """Record the payout (amount, date, reference); an administrative act, so it is logged."""
    _lock(funding)
    if amount_cents > funding.amount_cents:
        raise AccountabilityRefused(
            _l("The payout cannot be more than the funded amount."), field="amount"
        )
    before = audit.snapshot(funding, exclude=("bank_account",))
    funding.payout_cents = amount_cents
    funding.payout_on = paid_on
    funding.payout_reference = reference
    db.session.flush()
    old, new = audit.changes(before, audit.snapshot(funding, exclude=("bank_account",)))
    if new:
        audit.record(
            actor, "funding.payout", funding, summary=funding.idea.title, before=old, after=new
        )


def record_return(funding: Funding, *, amount_cents: int, actor: User) -> None:
    """Record the money not spent that was paid back (the total so far); logged."""
    _lock(funding)
    ceiling = funding.payout_cents if funding.payout_cents is not None else funding.amount_cents
    if amount_cents > ceiling:
        raise AccountabilityRefused(
            _l("More cannot be returned than was paid out."), field="amount"
        )
    before = funding.returned_cents
    funding.returned_cents = amount_cents
    db.session.flush()
    if before != amount_cents:
        audit.record(
            actor,
            "funding.return",
            funding,
            summary=funding.idea.title,
            before={"returned_cents": before},
            after={"returned_cents": amount_cents},
        )


def approve_report(funding: Funding, actor: User, message: str = "") -> None:
    """Approve the final report; the idea is then accounted for (its author gets an e-mail)."""
    _lock(funding)
    before = funding.status.value
    _move(funding, ReportStatus.APPROVED, actor, message)
    funding.review_message = message or None
    funding.report.reviewed_at = utcnow()
    funding.report.reviewed_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "funding.approve",
        funding,
        summary=funding.idea.title,
        before={"status": before},
        after={"status": funding.status.value, "message": message},
    )


def request_changes(funding: Funding, actor: User, message: str) -> None:
    """Send the report back with a message; the initiators get an e-mail."""
    _lock(funding)
    if not message.strip():
        raise AccountabilityRefused(_l("Write what the initiators should change."), field="message")
    before = funding.status.value
    _move(funding, ReportStatus.CHANGES_REQUESTED, actor)
    funding.review_message = message.strip()
    funding.report.reviewed_at = utcnow()
    funding.report.reviewed_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "funding.changes_requested",
        funding,
        summary=funding.idea.title,
        before={"status": before},
        after={"status": funding.status.value, "message": funding.review_message},
    )
    for person in initiators(funding):
        send_mail(
            person.email,
            _l("Please change your report: %(title)s", title=funding.idea.title),
            "accountability_changes",
            locale=person.locale,
            user=person,
            idea=funding.idea,
            message=funding.review_message,
            url=external_url("accountability.workspace", idea_id=funding.idea_id),
        )


# --- reminders -------------------------------------------------------------------------------

DUE_SOON_DAYS = 7


def reminder_stage(funding: Funding, today: date) -> str | None:
    """Return "overdue", "due_soon" or None for a funding whose report is still open."""
    if funding.report_due_on is None or funding.status not in OPEN_STATUSES:
        return None
    if funding.report_due_on < today:
        return "overdue"
    if funding.report_due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return None


def due_reminders(today: date | None = None) -> list[tuple[Funding, str]]:
    """Return (funding, stage) for every report due within 7 days or late, not yet reminded at that stage."""
    today = today or date.today()
    fundings = db.session.scalars(
        select(Funding)
        .where(
            Funding.report_due_on.is_not(None),
            Funding.report_due_on <= today + timedelta(days=DUE_SOON_DAYS),
            Funding.status.in_(OPEN_STATUSES),
        )
        .order_by(Funding.id)
        .options(
            selectinload(Funding.idea).selectinload(Idea.author),
            selectinload(Funding.idea)
            .selectinload(Idea.group)
            .selectinload(ThematicGroup.memberships)
            .selectinload(GroupMembership.user),
        )
    ).all()
    sent = {
        tuple(r) for r in db.session.execute(select(ReminderSent.funding_id, ReminderSent.stage))
    }
    due = []
    for funding in fundings:
        stage = reminder_stage(funding, today)
        if stage is not None and (funding.id, stage) not in sent:
            due.append((funding, stage))
    return due


def send_reminder(funding: Funding, stage: str, today: date | None = None) -> bool:
    """Claim the (funding, stage) reminder and e-mail the initiators; False when it was already sent."""
    today = today or date.today()
    try:
        with db.session.begin_nested():
            db.session.add(ReminderSent(funding_id=funding.id, stage=stage))
            db.session.flush()
    except IntegrityError:
        return False
    subject = (
        _l("Your final report is late: %(title)s", title=funding.idea.title)
        if stage == "overdue"
        else _l("Your final report is due soon: %(title)s", title=funding.idea.title)
    )
    for person in initiators(funding):
        send_mail(
            person.email,
            subject,
            "accountability_reminder",
            locale=person.locale,
            user=person,
            idea=funding.idea,
            stage=stage,
            due_on=funding.report_due_on,
            url=external_url("accountability.workspace", idea_id=funding.idea_id),
        )
    return True
