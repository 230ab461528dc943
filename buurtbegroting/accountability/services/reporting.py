"""What initiators report: milestones, files, progress updates, expenses and the final report."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from buurtbegroting.accountability.receipts import Receipt
from buurtbegroting.accountability.services.funding import (
    AccountabilityRefused,
    _lock,
    _move,
    _require_open,
)
from buurtbegroting.extensions import db
from buurtbegroting.follows.notify import notify
from buurtbegroting.images import ProcessedImage
from buurtbegroting.models import (
    AccountabilityPhoto,
    Expense,
    FinalReport,
    FollowEvent,
    Funding,
    Milestone,
    ProgressUpdate,
    ReportStatus,
    User,
    utcnow,
)
from buurtbegroting.photos import FileChanges, upload_folder


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


def photo_folder() -> Path:
    """Return the folder of photos of progress updates and reports (public once linked)."""
    return upload_folder("accountability")


def receipt_folder() -> Path:
    """Return the private folder of receipts; files in it are served only after a permission check."""
    return upload_folder("receipts")


def _write_photos(photos: list[ProcessedImage], changes: FileChanges) -> list[AccountabilityPhoto]:
    folder = photo_folder()
    rows = []
    for position, processed in enumerate(photos):
        filename = changes.write_photo(folder, processed)
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


#: A form sent twice within this time makes one row.
DUPLICATE_WINDOW = timedelta(minutes=10)


def _sent_again(rows, **values):
    """Return the row with these values made within DUPLICATE_WINDOW (a form sent twice)."""
    recent = utcnow() - DUPLICATE_WINDOW
    for row in rows:
        if row.created_at >= recent and all(getattr(row, k) == v for k, v in values.items()):
            return row
    return None


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
    existing = _sent_again(funding.updates, text=text)
    if existing is not None:
        return existing, FileChanges()
    changes = FileChanges()
    with changes.undo_on_error():
        update = ProgressUpdate(funding=funding, text=text, author_id=author.id)
        update.photos = _write_photos(photos, changes)
        db.session.add(update)
        db.session.flush()
    notify(FollowEvent.PROGRESS, update, author)
    return update, changes


def delete_update(update: ProgressUpdate) -> FileChanges:
    """Remove a progress update; its photo files are deleted after the commit."""
    changes = FileChanges()
    for photo in update.photos:
        changes.delete_photo(photo_folder(), photo.filename)
    return _removed(update, changes)


def _removed(row, changes: FileChanges) -> FileChanges:
    """Delete an update or expense of an open accountability; its files go after the commit."""
    _require_open(row.funding)
    db.session.delete(row)
    db.session.flush()
    return changes


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
    existing = _sent_again(
        funding.expenses, description=description, amount_cents=amount_cents, spent_on=spent_on
    )
    if existing is not None:
        return existing, FileChanges()
    changes = FileChanges()
    with changes.undo_on_error():
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
    return expense, changes


def delete_expense(expense: Expense) -> FileChanges:
    """Remove an expense; its receipt file is deleted after the commit."""
    changes = FileChanges()
    if expense.receipt_filename:
        changes.to_delete.append(receipt_folder() / expense.receipt_filename)
    return _removed(expense, changes)


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
    with changes.undo_on_error():
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
    for photo in removed:
        changes.delete_photo(folder, photo.filename)
    return changes
