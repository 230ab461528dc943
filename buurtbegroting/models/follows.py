"""Following ideas, areas and groups: who follows what, how they want to be told, and the digest."""

from __future__ import annotations

import enum

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurtbegroting.extensions import db
from buurtbegroting.models.types import (
    HasId,
    enum_column,
    key_part,
    long_text,
    owned_by_user,
    str80,
    timestamp,
)


class FollowTarget(enum.StrEnum):
    """What an account can follow."""

    IDEA = "idea"
    AREA = "area"
    GROUP = "group"


class FollowEvent(enum.StrEnum):
    """A kind of news a follower can be told about (each with its own setting)."""

    #: An idea's status changed (submitted, review decision, funded, …).
    STATUS = "status"
    #: A funded idea has a new progress update.
    PROGRESS = "progress"
    #: A round opened for voting in a followed area.
    VOTING_OPEN = "voting_open"
    #: Voting closes in two days and the account has not voted yet.
    VOTING_REMINDER = "voting_reminder"
    #: The results of a round were published.
    RESULTS = "results"
    #: A cheque initiative reached its target, or its target date is near.
    CHEQUES = "cheques"
    #: A newsletter from the municipality to the followers of an area or round.
    NEWSLETTER = "newsletter"


class NotifyMode(enum.StrEnum):
    """How a follower wants to be told about one kind of news."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class Follow(HasId, db.Model):
    """An account follows an idea, an area or a group."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target", "target_id"),
        Index("ix_follows_target", "target", "target_id"),
    )

    user_id: Mapped[owned_by_user]
    target: Mapped[FollowTarget] = mapped_column(enum_column(FollowTarget, 10))
    #: The id of the idea, area or group (no foreign key: it points into one of three tables).
    target_id: Mapped[int]
    created_at: Mapped[timestamp]


class FollowPreference(db.Model):
    """How an account wants one kind of news; no row means "immediately"."""

    __tablename__ = "follow_preferences"

    user_id: Mapped[int] = key_part("users.id")
    event: Mapped[FollowEvent] = mapped_column(enum_column(FollowEvent), primary_key=True)
    mode: Mapped[NotifyMode] = mapped_column(enum_column(NotifyMode, 10))


class DigestItem(HasId, db.Model):
    """A piece of news kept for an account's weekly digest; deleted once the digest is queued."""

    __tablename__ = "digest_items"

    user_id: Mapped[owned_by_user]
    event: Mapped[FollowEvent] = mapped_column(enum_column(FollowEvent))
    text: Mapped[long_text]
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[timestamp]


class FollowNotice(db.Model):
    """A timed notice that was sent once (e.g. "voting_reminder:round_area:7"), never twice."""

    __tablename__ = "follow_notices"

    key: Mapped[str80] = mapped_column(primary_key=True)
    created_at: Mapped[timestamp]
