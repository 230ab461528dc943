"""A subject or recipient with a line break never adds a header and never answers 500.

Mail goes to a real SMTP server (aiosmtpd on a free port) or to the outbox.
"""

from __future__ import annotations

from email import message_from_bytes

import pytest
from sqlalchemy import select

from buurtbegroting.mail import send_mail
from buurtbegroting.models import MailStatus, OutboxMessage, Role
from tests.factories import make_district, make_idea, make_neighbourhood, make_user
from tests.mailbox import deliver

INJECTED = "Bankjes\r\nBcc: evil@example.org\r\n\r\nKlik hier"


@pytest.fixture()
def smtp(smtp_server):
    """A real SMTP server on localhost (the shared fixture); the app sends to it."""
    return smtp_server


def _stored(db):
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_subject_with_line_breaks_is_sent_on_one_line(app, db, smtp):
    user = make_user()
    idea = make_idea(title=INJECTED)
    with app.test_request_context():
        send_mail(
            user.email,
            INJECTED,
            "idea_status",
            user=user,
            idea=idea,
            status_label="x",
            message="",
            url="http://x",
        )
    db.session.commit()
    assert deliver().delivered == 1
    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == [user.email]
    sent = message_from_bytes(envelope.content)
    assert sent["Bcc"] is None
    assert sent["Subject"] == "Bankjes Bcc: evil@example.org Klik hier"
    (stored,) = _stored(db)
    assert (
        "\n" not in stored.subject
        and "\r" not in stored.subject
        and stored.status == MailStatus.SENT
    )


@pytest.mark.parametrize(
    "recipient", ["anna@example.nl\r\nBcc: evil@example.org", "a@example.nl, b@example.org"]
)
def test_recipient_with_a_line_break_is_kept_but_never_sent(app, db, smtp, recipient):
    user = make_user()
    with app.test_request_context():
        send_mail(
            recipient,
            "Hallo",
            "idea_status",
            user=user,
            idea=make_idea(),
            status_label="x",
            message="",
            url="http://x",
        )
    db.session.commit()
    assert deliver().claimed == 0
    assert smtp.envelopes == []
    (stored,) = _stored(db)
    assert stored.status == MailStatus.FAILED and "\n" not in stored.recipient


@pytest.mark.parametrize("column", ["recipient", "subject"])
def test_a_line_break_written_into_a_waiting_message_never_reaches_the_server(
    app, db, smtp, column
):
    user = make_user()
    with app.test_request_context():
        message = send_mail(user.email, "Hallo", "idea_status", user=user, idea=make_idea())
    db.session.commit()
    # Changed behind send_mail's back (an import, a hand-made row): the worker checks again.
    setattr(message, column, getattr(message, column) + "\r\nBcc: evil@example.org")
    db.session.commit()
    report = deliver()
    assert report.claimed == 1 and report.failed == 1
    assert smtp.envelopes == [] and smtp.connections == 0
    db.session.refresh(message)
    assert message.status == MailStatus.FAILED and message.last_error


def test_outbox_subject_has_no_line_break_and_fits_the_column(app, db):
    user = make_user()
    with app.test_request_context():
        send_mail(
            user.email,
            "Lang\n" + "x" * 500,
            "idea_status",
            user=user,
            idea=make_idea(),
            status_label="x",
            message="",
            url="http://x",
        )
    db.session.commit()
    (stored,) = _stored(db)
    assert stored.subject.startswith("Lang x") and len(stored.subject) <= 200


def test_status_change_of_an_idea_with_a_broken_title_is_not_a_500(client, db, login, smtp):
    district = make_district()
    buurt = make_neighbourhood(district, postcodes=())
    # A title stored before titles were checked (or by an import).
    idea = make_idea(buurt, title=INJECTED)
    coordinator = make_user(role=Role.COORDINATOR, coordinated_areas=[district])
    db.session.commit()
    login(coordinator)
    response = client.post(f"/beheer/beoordelen/{idea.id}/starten")
    assert response.status_code == 302
    deliver()
    assert smtp.envelopes, "the author was mailed"
    for envelope in smtp.envelopes:
        assert message_from_bytes(envelope.content)["Bcc"] is None
