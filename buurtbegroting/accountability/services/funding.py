"""Funding an idea, and the rules and figures every accountability service shares."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from buurtbegroting import audit
from buurtbegroting.accountability import iban
from buurtbegroting.domain import DomainError
from buurtbegroting.domain import ideas as rules
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.ideas import services as idea_services
from buurtbegroting.models import (
    Funding,
    FundingSource,
    Idea,
    IdeaStatus,
    MemberRole,
    ReportStatus,
    User,
)


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
    weeks = int(current_app.config["ACCOUNTABILITY_REPORT_WEEKS"])
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
    today = today or today_nl()
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


def record(actor: User, action: str, funding: Funding, before: dict, after: dict) -> None:
    """Flush, and write the audit entry of an act on a funding (named by its idea's title)."""
    db.session.flush()
    audit.record(actor, action, funding, summary=funding.idea.title, before=before, after=after)


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
    after = iban.masked(funding.bank_account)
    record(
        actor, "funding.bank_account", funding, {"bank_account": before}, {"bank_account": after}
    )
