"""Outgoing e-mail kept in the database: what was sent to whom, and whether it arrived."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from buurtbegroting.extensions import db
from buurtbegroting.models.types import UTCDateTime, enum_column, utcnow


class MailStatus(enum.StrEnum):
    """What became of an e-mail."""

    #: The outbox backend (development): written to the log only, never sent.
    WRITTEN = "written"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """An e-mail the platform sent or, in development, only wrote down.

    Kept for OUTBOX_RETENTION_DAYS (``flask privacy retention`` deletes older ones).
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    #: The template the message was made from, e.g. "password_reset".
    kind: Mapped[str] = mapped_column(String(60), default="")
    #: The message carried a secret (a link with a token): its text is never kept.
    is_secret: Mapped[bool] = mapped_column(default=False)
    #: The text; None for a message that carried a secret.
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus), default=MailStatus.WRITTEN)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
