"""Shared helpers of the following tests: who got which queued message, and followers."""

from __future__ import annotations

from sqlalchemy import select

from buurtbegroting.extensions import db
from buurtbegroting.follows.services import follow, set_preferences
from buurtbegroting.models import DigestItem, FollowEvent, NotifyMode, OutboxMessage
from tests.factories import make_user


def news_to(kind: str = "follow_news") -> list[str]:
    """Return the recipients of the queued messages of a kind, in order."""
    return list(
        db.session.scalars(
            select(OutboxMessage.recipient)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
    )


def digest_for() -> list[int]:
    """Return the accounts that have lines waiting for their digest."""
    return list(db.session.scalars(select(DigestItem.user_id).order_by(DigestItem.id)))


def followers_of(target, target_id: int, n: int, mode: NotifyMode | None = None, **user):
    """Make n accounts that follow the target (optionally with one setting for every kind)."""
    made = []
    for _ in range(n):
        person = make_user(**user)
        follow(person, target, target_id)
        if mode is not None:
            set_preferences(person.id, dict.fromkeys(FollowEvent, mode))
        made.append(person)
    db.session.flush()
    return made
