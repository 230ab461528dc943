"""What the municipality does: payout, returned money, approving or returning a report."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from buurtbegroting import audit
from buurtbegroting.accountability.services.funding import (
    AccountabilityRefused,
    _lock,
    _move,
    initiators,
    record,
)
from buurtbegroting.extensions import db
from buurtbegroting.mail import send_mail
from buurtbegroting.models import (
    Funding,
    ReportStatus,
    User,
    utcnow,
)
from buurtbegroting.urls import external_url


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
        record(actor, "funding.payout", funding, old, new)


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
        record(
            actor,
            "funding.return",
            funding,
            {"returned_cents": before},
            {"returned_cents": amount_cents},
        )


def _reviewed(funding: Funding, actor: User, message: str | None) -> None:
    funding.review_message = message
    funding.report.reviewed_at = utcnow()
    funding.report.reviewed_by_id = actor.id


def _status_and(funding: Funding, message: str | None) -> dict:
    return {"status": funding.status.value, "message": message}


def approve_report(funding: Funding, actor: User, message: str = "") -> None:
    """Approve the final report; the idea is then accounted for (its author gets an e-mail)."""
    _lock(funding)
    before = funding.status.value
    _move(funding, ReportStatus.APPROVED, actor, message)
    _reviewed(funding, actor, message or None)
    record(actor, "funding.approve", funding, {"status": before}, _status_and(funding, message))


def request_changes(funding: Funding, actor: User, message: str) -> None:
    """Send the report back with a message; the initiators get an e-mail."""
    _lock(funding)
    if not message.strip():
        raise AccountabilityRefused(_l("Write what the initiators should change."), field="message")
    before = funding.status.value
    _move(funding, ReportStatus.CHANGES_REQUESTED, actor)
    _reviewed(funding, actor, message.strip())
    after = _status_and(funding, funding.review_message)
    record(actor, "funding.changes_requested", funding, {"status": before}, after)
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
