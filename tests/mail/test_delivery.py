"""The delivery worker: once per message, one connection per batch, back-off, leases, throttle.

A real SMTP server (aiosmtpd) on a local port; time moves through the worker's clock.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from buurtbegroting.extensions import db as _db
from buurtbegroting.mail import send_mail
from buurtbegroting.mail.delivery import deliver_pending
from buurtbegroting.models import MailStatus, OutboxMessage, utcnow
from tests.factories import make_user
from tests.mailbox import SMTPCatcher, deliver


def _queue(app, n=1, *, secret=False, recipient=None):
    user = make_user()
    messages = []
    with app.test_request_context():
        for number in range(n):
            messages.append(
                send_mail(
                    recipient or user.email,
                    f"Bericht {number}",
                    "password_reset" if secret else "idea_status",
                    secret=secret,
                    user=user,
                    idea=None,
                    url=f"http://localhost/wachtwoord/nieuw#GEHEIM-{number}",
                    minutes=60,
                )
            )
    return messages


def _statuses(db):
    return [m.status for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_nothing_is_sent_before_the_commit_and_each_message_once(app, db, smtp_server):
    _queue(app, 3)
    with Session(db.engine) as other:  # what a worker sees before the commit
        assert other.scalar(select(func.count(OutboxMessage.id))) == 0
    db.session.commit()
    report = deliver()
    assert (report.claimed, report.delivered) == (3, 3)
    assert len(smtp_server.envelopes) == 3
    assert smtp_server.connections == 1  # one connection for the batch
    assert deliver().claimed == 0
    assert len(smtp_server.envelopes) == 3
    message = db.session.scalars(select(OutboxMessage)).first()
    assert message.status == MailStatus.SENT and message.attempts == 1 and message.sent_at


def test_a_change_that_rolls_back_leaves_no_message(app, db, smtp_server):
    _queue(app, 2)
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert deliver().claimed == 0 and smtp_server.envelopes == []


def test_a_secret_is_sealed_while_waiting_and_erased_after_delivery(app, db, smtp_server):
    (message,) = _queue(app, secret=True)
    db.session.commit()
    raw = db.session.execute(
        select(OutboxMessage.body, OutboxMessage.sealed_body).where(OutboxMessage.id == message.id)
    ).one()
    assert raw.body is None and b"GEHEIM" not in raw.sealed_body
    deliver()
    assert "GEHEIM-0" in smtp_server.bodies()[0]
    db.session.refresh(message)
    assert message.sealed_body is None and message.body is None


def _one_secret_waiting(app, db, monkeypatch, **config):
    for key, value in config.items():
        monkeypatch.setitem(app.config, key, value)
    (message,) = _queue(app, secret=True)
    db.session.commit()
    return message


def test_back_off_doubles_and_the_message_goes_out_when_the_server_is_back(
    app, db, smtp_down, monkeypatch
):
    message = _one_secret_waiting(app, db, monkeypatch, MAIL_RETRY_SECONDS=60)
    start = utcnow()
    assert deliver(clock=lambda: start).retrying == 1
    db.session.refresh(message)
    assert message.attempts == 1 and message.next_attempt_at == start + timedelta(seconds=60)
    assert "cannot be reached" in message.last_error and message.sealed_body
    # Too early: the worker leaves it alone.
    assert deliver(clock=lambda: start + timedelta(seconds=59)).claimed == 0
    second = start + timedelta(seconds=60)
    assert deliver(clock=lambda: second).retrying == 1
    db.session.refresh(message)
    assert message.next_attempt_at == second + timedelta(seconds=120)
    server = smtp_down.come_back()
    assert deliver(clock=lambda: second + timedelta(seconds=119)).claimed == 0
    assert deliver(clock=lambda: second + timedelta(seconds=120)).delivered == 1
    assert server.recipients() == [message.recipient]
    db.session.refresh(message)
    assert message.status == MailStatus.SENT and message.attempts == 3
    assert message.sealed_body is None and message.last_error is None


def test_after_the_last_attempt_the_message_fails_and_its_secret_goes(
    app, db, smtp_down, monkeypatch
):
    message = _one_secret_waiting(app, db, monkeypatch, MAIL_MAX_ATTEMPTS=3)
    moment = utcnow()
    for _ in range(3):
        deliver(clock=lambda at=moment: at)
        db.session.refresh(message)
        moment = message.next_attempt_at
    assert message.status == MailStatus.FAILED and message.attempts == 3
    assert message.sealed_body is None
    smtp_down.come_back()
    assert deliver(clock=lambda: moment + timedelta(days=1)).claimed == 0


def test_a_refused_recipient_fails_at_once_and_the_others_still_go(app, db):
    server = SMTPCatcher(refuse={"weg@example.nl": "550 5.1.1 No such user"})
    server.start()
    try:
        app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
        _queue(app, recipient="weg@example.nl")
        _queue(app, 2)
        db.session.commit()
        report = deliver()
        assert (report.delivered, report.failed, report.retrying) == (2, 1, 0)
        refused = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == "weg@example.nl")
        )
        assert refused.status == MailStatus.FAILED and "550" in refused.last_error
        assert server.connections == 1
    finally:
        app.config.update(MAIL_BACKEND="outbox", MAIL_SERVER="localhost", MAIL_PORT=25)
        server.stop()


def test_a_claim_whose_lease_expired_is_taken_again(app, db, smtp_server):
    (message,) = _queue(app)
    db.session.commit()
    # A worker claimed it and died (its lease runs until a minute from now).
    message.claim_token, message.claimed_until = "dead-worker", utcnow() + timedelta(minutes=1)
    db.session.commit()
    assert deliver().claimed == 0
    later = utcnow() + timedelta(minutes=2)
    assert deliver(clock=lambda: later).delivered == 1
    assert len(smtp_server.envelopes) == 1


def test_the_worker_keeps_to_the_messages_per_minute(app, db, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PER_MINUTE", 2)
    waits = []
    _queue(app, 3)
    db.session.commit()
    now = utcnow()
    report = deliver(clock=lambda: now, sleep=waits.append)
    assert report.delivered == 2 and len(smtp_server.envelopes) == 2
    # The two sends are spread over the minute: about 30 seconds between them.
    assert len(waits) == 1 and 29 < waits[0] <= 30
    assert deliver(clock=lambda: now, sleep=waits.append).claimed == 0
    later = now + timedelta(seconds=61)
    assert deliver(clock=lambda: later, sleep=waits.append).delivered == 1


def _two_workers(app, count):
    """Run two workers at the same moment, each in its own thread and app context."""
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def work():
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                reports.append(deliver_pending(limit=count))
                _db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return reports


@pytest.mark.parametrize("count", [1, 12])
def test_two_workers_at_once_never_send_a_message_twice(app, db, smtp_server, count):
    _queue(app, count)
    db.session.commit()
    reports = _two_workers(app, count)
    assert sum(r.claimed for r in reports) == count
    assert len(smtp_server.envelopes) == count
    subjects = [m["Subject"] for m in smtp_server.received]
    assert len(set(subjects)) == count
    assert set(_statuses(db)) == {MailStatus.SENT}


def test_flask_mail_work_once_delivers_and_says_what_it_did(app, db, runner, smtp_server):
    _queue(app, 2)
    db.session.commit()
    result = runner.invoke(args=["mail", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "delivered 2" in result.output
    assert len(smtp_server.envelopes) == 2
    refused = runner.invoke(args=["mail", "work", "--once", "--limit", "0"])
    assert refused.exit_code == 2 and "--limit" in refused.output


def test_the_log_backend_writes_as_soon_as_the_change_is_committed(app, db, mailbox):
    (message,) = _queue(app, secret=True)
    assert mailbox.messages == []
    db.session.commit()
    assert "GEHEIM-0" in mailbox.last_to(message.recipient)["body"]
    db.session.refresh(message)
    assert message.status == MailStatus.WRITTEN and message.sealed_body is None


def test_the_log_backend_writes_nothing_for_a_change_that_rolled_back(app, db, mailbox):
    user = make_user()
    db.session.commit()
    with app.test_request_context():
        try:
            with db.session.begin_nested():
                send_mail(user.email, "Weg", "idea_status", user=user, idea=None)
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
        send_mail(user.email, "Blijft", "idea_status", user=user, idea=None)
    db.session.commit()
    assert [m["subject"] for m in mailbox.messages] == ["Blijft"]
    _queue(app)
    db.session.rollback()
    db.session.commit()
    assert [m["subject"] for m in mailbox.messages] == ["Blijft"]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
