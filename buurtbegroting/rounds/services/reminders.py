"""Ballot starts, and one reminder for accounts that opened the ballot but did not confirm.

The mark holds no choices: only "this account opened the ballot of this round". The
reminder goes out once, in the last REMIND_HOURS of voting, through the outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from buurtbegroting.domain.rounds import Phase
from buurtbegroting.extensions import db
from buurtbegroting.mail import send_mail
from buurtbegroting.models import BallotStart, BudgetRound, RoundArea, RoundVoter, User, utcnow
from buurtbegroting.rounds.services.phases import phase
from buurtbegroting.urls import external_url

#: The reminder is sent when voting closes within this many hours.
REMIND_HOURS = 48


def mark_started(round_: BudgetRound, user: User) -> None:
    """Record that the account opened the ballot of the round (once; no choices, no time)."""
    if db.session.get(BallotStart, (round_.id, user.id)) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(BallotStart(round_id=round_.id, user_id=user.id))
    except IntegrityError:
        pass  # another request marked it at the same moment


def due_unfinished(now: datetime | None = None) -> list[tuple[BudgetRound, User]]:
    """Return (round, account) for every unreminded start without a ballot, near the close."""
    now = now or utcnow()
    rounds = db.session.scalars(
        select(BudgetRound).where(
            BudgetRound.closed_at.is_(None),
            BudgetRound.voting_opens_at <= now,
            BudgetRound.voting_closes_at > now,
            BudgetRound.voting_closes_at <= now + timedelta(hours=REMIND_HOURS),
        )
    ).all()
    due = []
    for round_ in rounds:
        if phase(round_, now) != Phase.VOTING:
            continue
        voted = exists().where(
            RoundVoter.user_id == BallotStart.user_id,
            RoundVoter.round_area_id == RoundArea.id,
            RoundArea.round_id == round_.id,
        )
        users = db.session.scalars(
            select(User)
            .join(BallotStart, BallotStart.user_id == User.id)
            .where(BallotStart.round_id == round_.id, BallotStart.is_reminded.is_(False), ~voted)
            .order_by(User.id)
        ).all()
        due.extend((round_, user) for user in users)
    return due


def send_unfinished_reminder(round_: BudgetRound, user: User) -> bool:
    """Claim the reminder and mail it through the outbox; False when it was already sent."""
    mark = (BallotStart.round_id == round_.id) & (BallotStart.user_id == user.id)
    unreminded = mark & BallotStart.is_reminded.is_(False)
    claim = update(BallotStart).where(unreminded).values(is_reminded=True)
    if db.session.execute(claim.execution_options(synchronize_session=False)).rowcount != 1:
        return False
    subject = _l("You have not confirmed your vote yet: %(name)s", name=round_.name)
    context = {"user": user, "round_": round_}
    context["url"] = external_url("rounds.start", round_id=round_.id)
    send_mail(user.email, subject, "ballot_reminder", locale=user.locale, **context)
    return True


def remind_unfinished(now: datetime | None = None) -> tuple[int, int]:
    """Send every due reminder, one commit each; return (sent, already sent)."""
    sent = skipped = 0
    for round_, user in due_unfinished(now):
        if send_unfinished_reminder(round_, user):
            sent += 1
        else:
            skipped += 1
        db.session.commit()
    return sent, skipped
