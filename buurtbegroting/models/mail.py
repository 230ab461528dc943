"""Outgoing e-mail kept in the database: the queue a worker delivers from, and what became of it."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from buurtbegroting.extensions import db
from buurtbegroting.models.types import (
    HasId,
    enum_column,
    long_text,
    str200,
    str254,
    timestamp,
    utc_time,
)


class MailStatus(enum.StrEnum):
    """What became of an e-mail."""

    #: Waiting in the queue for the worker (also between retries).
    QUEUED = "queued"
    #: The log backend (development): written to the log only, never sent.
    WRITTEN = "written"
    SENT = "sent"
    #: Given up: refused by the server, not one plain address, or too many attempts.
    FAILED = "failed"


class OutboxMessage(HasId, db.Model):
    """An e-mail the platform queued, sent or, in development, only wrote down.

    ``send_mail`` adds the row in the transaction of the change it reports; a worker
    (``buurtbegroting.mail.delivery``) claims and delivers it after the commit. Kept for
    OUTBOX_RETENTION_DAYS (``flask privacy retention`` deletes older ones).
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),)

    created_at: Mapped[timestamp] = mapped_column(index=True)
    recipient: Mapped[str254]
    subject: Mapped[str200]
    #: The template the message was made from, e.g. "password_reset".
    kind: Mapped[str] = mapped_column(String(60), default="")
    #: The message carries a secret (a link with a token): its text is never kept readable.
    is_secret: Mapped[bool] = mapped_column(default=False)
    #: The text; None for a message that carries a secret.
    body: Mapped[long_text | None]
    #: The text of a secret message, encrypted (``mail.sealing``) until delivery or
    #: final failure, then erased.
    sealed_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Extra headers, e.g. List-Unsubscribe (name: value, each value one line).
    extra_headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus), default=MailStatus.QUEUED)
    sent_at: Mapped[utc_time | None] = mapped_column(index=True)
    #: Delivery attempts so far (since the last retry an administrator asked for).
    attempts: Mapped[int] = mapped_column(default=0)
    #: The worker leaves a waiting message alone until then (back-off between attempts).
    next_attempt_at: Mapped[timestamp]
    #: Why the last attempt failed (the server's answer or the network error).
    last_error: Mapped[str | None] = mapped_column(String(300))
    #: The worker that claimed the message, and until when; an expired claim is free again.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[utc_time | None]

    @property
    def can_retry(self) -> bool:
        """Tell whether a failed message still has a text to send (a secret's is erased)."""
        return self.status == MailStatus.FAILED and (
            self.body is not None or self.sealed_body is not None
        )
