"""Accountability services: funding, payout, milestones, updates, expenses, reports."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from buurtbegroting.domain import ideas as rules
from buurtbegroting.extensions import db
from buurtbegroting.ideas import services as idea_services
from buurtbegroting.models import Funding, FundingSource, Idea, IdeaStatus, ReportStatus, User


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
