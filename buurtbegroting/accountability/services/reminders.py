"""Reminders to initiators whose report is due soon or late (once per stage)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from buurtbegroting.accountability.services.funding import OPEN_STATUSES, initiators
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.mail import send_mail
from buurtbegroting.models import (
    Funding,
    GroupMembership,
    Idea,
    ReminderSent,
    ThematicGroup,
)
from buurtbegroting.urls import external_url

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
    today = today or today_nl()
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
    today = today or today_nl()
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
