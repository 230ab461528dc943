"""Outgoing e-mail kept in the database (development outbox and delivery log)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from buurtbegroting.extensions import db
from buurtbegroting.models.types import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    """An e-mail the platform sent or, in development, only wrote down."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    is_sent: Mapped[bool] = mapped_column(default=False)
