"""The timed side of following: the weekly digest and notices that depend on the date.

Both run as routines of the worker (jobs/kinds/routines.py) and are safe to run twice: a
digest line is deleted when its digest is queued, and each timed notice is claimed once
(``FollowNotice``) in the transaction that queues it.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.follows.notify import notify, unsubscribe_headers, unsubscribe_url
from buurtbegroting.mail import compose_mail, queue_mail
from buurtbegroting.models import (
    BudgetRound,
    Destination,
    DigestItem,
    FollowEvent,
    FollowNotice,
    Idea,
    IdeaStatus,
    RoundArea,
    User,
    VoterIdentification,
    utcnow,
)

#: How long before its target date followers hear that a cheque initiative ends.
CHEQUE_DEADLINE_DAYS = 7
#: A round that opened longer ago than this is not announced any more (e.g. after an outage).
OPEN_NOTICE_WINDOW = timedelta(days=1)
#: The reminder to vote goes this long before voting closes.
REMINDER_BEFORE_CLOSE = timedelta(days=2)


def send_digests() -> int:
    """Queue one digest per account with the lines collected since the last; return the count."""
    rows = db.session.execute(
        select(DigestItem, User)
        .join(User, User.id == DigestItem.user_id)
        .order_by(DigestItem.user_id, DigestItem.id)
    ).all()
    mails = []
    for _user_id, group in groupby(rows, key=lambda row: row[0].user_id):
        group = list(group)
        user = group[0][1]
        if not user.is_active or not user.is_verified:
            continue
        url = unsubscribe_url(user.id, None)
        mails.append(
            compose_mail(
                user.email,
                _l("Your weekly news from the neighbourhood budget"),
                "follow_digest",
                user.locale,
                headers=unsubscribe_headers(url),
                user=user,
                items=[item for item, _user in group],
                unsubscribe_url=url,
            )
        )
    queue_mail(mails)
    ids = [item.id for item, _user in rows]
    for start in range(0, len(ids), 500):
        db.session.execute(delete(DigestItem).where(DigestItem.id.in_(ids[start : start + 500])))
    db.session.flush()
    return len(mails)


def _claim(key: str) -> bool:
    """Claim a timed notice; False when it was sent before."""
    if db.session.get(FollowNotice, key) is not None:
        return False
    db.session.add(FollowNotice(key=key))
    db.session.flush()
    return True


def _round_areas(*conditions) -> list[RoundArea]:
    return list(
        db.session.scalars(
            select(RoundArea)
            .join(BudgetRound, BudgetRound.id == RoundArea.round_id)
            .where(BudgetRound.closed_at.is_(None), *conditions)
            .options(selectinload(RoundArea.area), selectinload(RoundArea.round))
            .order_by(RoundArea.id)
        )
    )


def send_timed_notices(now=None) -> int:
    """Announce rounds that opened, remind non-voters two days before the end, warn of cheque
    end dates; each once. Return how many followers were told."""
    now = now or utcnow()
    told = 0
    for round_area in _round_areas(
        BudgetRound.voting_opens_at <= now,
        BudgetRound.voting_opens_at > now - OPEN_NOTICE_WINDOW,
        BudgetRound.voting_closes_at > now,
    ):
        if _claim(f"voting_open:{round_area.id}"):
            told += notify(FollowEvent.VOTING_OPEN, round_area)
    # Only rounds where accounts vote: the reminder never depends on voting codes.
    for round_area in _round_areas(
        BudgetRound.voting_opens_at <= now,
        BudgetRound.voting_closes_at > now,
        BudgetRound.voting_closes_at <= now + REMINDER_BEFORE_CLOSE,
        BudgetRound.identification != VoterIdentification.CODE,
    ):
        if _claim(f"voting_reminder:{round_area.id}"):
            told += notify(FollowEvent.VOTING_REMINDER, round_area)
    today = today_nl()
    ending = db.session.scalars(
        select(Idea)
        .where(
            Idea.status == IdeaStatus.ACCEPTED,
            Idea.destination == Destination.CHEQUES,
            Idea.target_date >= today,
            Idea.target_date <= today + timedelta(days=CHEQUE_DEADLINE_DAYS),
        )
        .order_by(Idea.id)
    ).all()
    for idea in ending:
        if _claim(f"cheque_deadline:{idea.id}"):
            told += notify(FollowEvent.CHEQUES, idea, reason="deadline")
    return told
