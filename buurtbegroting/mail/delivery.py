"""Deliver queued e-mail: claim a batch, send it over one connection, record what happened.

``deliver_pending(app)`` is the one entry point: ``flask mail work`` calls it in a loop and
the job queue calls it from a periodic task. Any number of workers may run at once:

- a batch is claimed with a random claim token and a lease (PostgreSQL: the rows are
  picked ``FOR UPDATE SKIP LOCKED``; SQLite: a conditional UPDATE that only takes rows
  still free); a claim whose lease expired (a worker that died) is free again;
- every outcome is written with the claim token as condition and committed per message,
  so a message is delivered once even when two workers run;
- the batch is at most what MAIL_PER_MINUTE still allows in the last minute (counted in
  the database, so across workers), and sends are spread evenly over the minute;
- a failure the server may get over (down, busy, 4xx) is tried again after a back-off that
  doubles (MAIL_RETRY_SECONDS, at most MAIL_RETRY_MAX_SECONDS) until MAIL_MAX_ATTEMPTS; a
  refusal (5xx) or a header that is not one line fails at once.
"""

from __future__ import annotations

import secrets
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from buurtbegroting.extensions import db
from buurtbegroting.mail.outbox import NOT_ONE_ADDRESS, deliverable, one_line
from buurtbegroting.mail.sealing import Unreadable, unseal
from buurtbegroting.models import MailStatus, OutboxMessage, utcnow

Clock = Callable[[], datetime]


@dataclass
class Report:
    """What one call of ``deliver_pending`` did."""

    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


class Refused(Exception):
    """The message can never be delivered as it is (no retry)."""


class Transient(Exception):
    """The message could not be delivered now; try again later."""


def deliver_pending(
    app=None, limit: int | None = None, *, clock: Clock = utcnow, sleep=time.sleep
) -> Report:
    """Deliver up to ``limit`` waiting messages (default MAIL_BATCH) and return what happened.

    Works with its own database session, so it can run inside a request, a command, or a
    job (pass the app when no app context is active).

    :param clock: the current UTC time (tests move it to check back-off and leases).
    :param sleep: how to wait between sends to keep to MAIL_PER_MINUTE.
    """
    if app is not None:
        with app.app_context():
            return deliver_pending(limit=limit, clock=clock, sleep=sleep)
    config = current_app.config
    smtp = config["MAIL_BACKEND"] == "smtp"
    limit = limit or config["MAIL_BATCH"]
    with Session(db.engine, expire_on_commit=False) as session:
        if smtp:
            limit = min(limit, _budget(session, clock()))
        if limit <= 0:
            return Report()
        try:
            token, batch = _claim(session, limit, clock())
        except OperationalError as error:
            # SQLite: another writer held the database too long; the next run claims.
            session.rollback()
            current_app.logger.getChild("mail").warning("No e-mail claimed: %s", error.orig)
            return Report()
        report = Report(claimed=len(batch))
        transport = SMTPTransport(config) if smtp else LogTransport()
        interval = 60.0 / config["MAIL_PER_MINUTE"] if smtp else 0.0
        started = time.monotonic()
        try:
            for number, message in enumerate(batch):
                wait = started + number * interval - time.monotonic()
                if wait > 0:
                    sleep(wait)
                _record(session, message, token, _attempt(transport, message), clock(), report)
                session.commit()
        finally:
            transport.close()
    return report


def _budget(session: Session, now: datetime) -> int:
    """Return how many messages may still go out in the minute up to now (all workers)."""
    recent = session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.status == MailStatus.SENT,
            OutboxMessage.sent_at > now - timedelta(minutes=1),
        )
    )
    session.commit()  # end the read before the claim writes (SQLite locks)
    return current_app.config["MAIL_PER_MINUTE"] - recent


def _claim(session: Session, limit: int, now: datetime) -> tuple[str, list[OutboxMessage]]:
    """Claim up to ``limit`` free messages for this worker; return its token and the batch."""
    token = secrets.token_hex(16)
    free = (
        (OutboxMessage.status == MailStatus.QUEUED)
        & (OutboxMessage.next_attempt_at <= now)
        & or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
    )
    # PostgreSQL locks the rows it picks and skips those another worker is picking; the
    # UPDATE repeats the condition, so on SQLite (no row locks) a row another worker
    # claimed in between is left out.
    ids = session.scalars(
        select(OutboxMessage.id)
        .where(free)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    if ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), free)
            .values(claim_token=token, claimed_until=now + lease),
            execution_options={"synchronize_session": False},
        )
    session.commit()
    batch = session.scalars(
        select(OutboxMessage).where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id)
    ).all()
    session.commit()
    return token, list(batch)


def _attempt(transport, message: OutboxMessage) -> Exception | None:
    """Hand one message to the transport; return None, or the Refused/Transient error."""
    # The header checks of send_mail, again: a row changed since must not add headers.
    if not deliverable(message.recipient):
        return Refused(NOT_ONE_ADDRESS)
    if message.subject != one_line(message.subject):
        return Refused("The subject is not one line.")
    try:
        body = message.body if message.sealed_body is None else unseal(message.sealed_body)
    except Unreadable:
        return Refused("The text cannot be opened: MAIL_KEY or SECRET_KEY was changed.")
    if body is None:
        return Refused("The text of this message is no longer kept.")
    headers = message.extra_headers or {}
    if any(str(v) != one_line(v) or str(k) != one_line(k) for k, v in headers.items()):
        return Refused("An extra header is not one line.")
    try:
        transport.send(message.recipient, message.subject, body, message.kind, headers)
    except (Refused, Transient) as error:
        return error
    return None


def _record(
    session: Session, message, token: str, error: Exception | None, now: datetime, report: Report
) -> None:
    """Write the outcome of one attempt, only while this worker still holds the claim."""
    config = current_app.config
    attempts = message.attempts + 1
    values = {"attempts": attempts, "claim_token": None, "claimed_until": None}
    if error is None:
        done = MailStatus.SENT if config["MAIL_BACKEND"] == "smtp" else MailStatus.WRITTEN
        values.update(status=done, sent_at=now, sealed_body=None, last_error=None)
        report.delivered += 1
    elif isinstance(error, Transient) and attempts < config["MAIL_MAX_ATTEMPTS"]:
        delay = min(
            config["MAIL_RETRY_SECONDS"] * 2 ** (attempts - 1), config["MAIL_RETRY_MAX_SECONDS"]
        )
        values.update(next_attempt_at=now + timedelta(seconds=delay), last_error=str(error)[:300])
        report.retrying += 1
    else:
        # Given up: the text of a secret goes now, nobody can send it any more.
        values.update(status=MailStatus.FAILED, sealed_body=None, last_error=str(error)[:300])
        report.failed += 1
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == token)
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    if error is not None:
        current_app.logger.getChild("mail").warning(
            "E-mail %s (%s) not delivered (attempt %s): %s",
            message.id,
            message.kind,
            attempts,
            error,
        )


class LogTransport:
    """The development backend: write the whole message to the app's "mail" log."""

    def send(
        self, recipient: str, subject: str, body: str, kind: str, headers: dict | None = None
    ) -> None:
        """Write one message to the log."""
        mail = {"to": recipient, "subject": subject, "body": body, "kind": kind}
        current_app.logger.getChild("mail").info(
            "E-mail to %s: %s\n%s",
            recipient,
            subject,
            body,
            extra={"mail": mail | {"headers": dict(headers or {})}},
        )

    def close(self) -> None:
        """Nothing to close."""


class SMTPTransport:
    """One SMTP connection for a batch, opened at the first message and reopened once lost."""

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        #: Set when connecting failed: the rest of the batch waits for the next run.
        self.down: Transient | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"])
        try:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(
        self, recipient: str, subject: str, body: str, kind: str, headers: dict | None = None
    ) -> None:
        """Send one message, or raise Refused (never deliverable) or Transient."""
        if self.down is not None:
            raise self.down
        msg = EmailMessage()
        try:
            msg["From"] = self.config["MAIL_SENDER"]
            msg["To"] = recipient
            msg["Subject"] = subject
            for name, value in (headers or {}).items():
                msg[name] = value
        except ValueError as error:  # the mail library's own header check
            raise Refused(str(error)) from None
        msg.set_content(body)
        if headers:
            # A link without spaces (List-Unsubscribe, RFC 8058) must stay one plain line:
            # folding at 78 characters would turn it into an encoded word mail programs
            # cannot use. The body was encoded above, with the usual line length.
            msg.policy = msg.policy.clone(max_line_length=998)
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except (OSError, smtplib.SMTPException) as error:
                self.down = Transient(f"The mail server cannot be reached: {error}")
                raise self.down from None
        try:
            self.smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise (Refused if all(c >= 500 for c in codes) else Transient)(str(error)) from None
        except smtplib.SMTPDataError as error:
            raise (Refused if error.smtp_code >= 500 else Transient)(str(error)) from None
        except smtplib.SMTPNotSupportedError as error:
            raise Refused(str(error)) from None
        except (OSError, smtplib.SMTPException) as error:
            # The connection broke: the next message opens a new one.
            self.close()
            raise Transient(str(error)) from None

    def close(self) -> None:
        """Say goodbye to the server (or just drop a broken connection)."""
        if self.smtp is None:
            return
        smtp, self.smtp = self.smtp, None
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
