"""Registration, password reset and login answer the same for known and unknown addresses."""

import re

import pytest
from sqlalchemy import func, select

from buurtbegroting.models import MailStatus, OutboxMessage, User
from tests.factories import PASSWORD, make_neighbourhood, make_user
from tests.mailbox import deliver


@pytest.fixture()
def smtp(smtp_server):
    """A real SMTP server on localhost (the shared fixture); the app sends to it."""
    return smtp_server


@pytest.fixture()
def anna(db):
    make_neighbourhood(postcodes=("5344",), name="Ruwaard-Oost")
    user = make_user(email="anna@example.nl")
    db.session.commit()
    return user


def _post(client, path, data):
    return client.post(path, data=data)


def _page(text):
    # Every page carries its own CSRF token; the rest must be the same.
    return re.sub(r'name="csrf_token" value="[^"]*"', "", text)


def _same(first, second):
    assert first.status_code == second.status_code
    assert first.headers.get("Location") == second.headers.get("Location")
    assert _page(first.get_data(as_text=True)) == _page(second.get_data(as_text=True))


def _register_data(email):
    return {
        "email": email,
        "display_name": "Iemand",
        "postcode": "5344AB",
        "password": "een lang wachtwoord",
        "confirm": "een lang wachtwoord",
    }


def _flash(client):
    return _page(client.get("/inloggen").get_data(as_text=True))


def test_registration_answers_the_same_for_a_known_address_and_mails_its_owner(app, db, anna, smtp):
    known_client, new_client = app.test_client(), app.test_client()
    known = _post(known_client, "/registreren", _register_data("ANNA@example.nl"))
    new = _post(new_client, "/registreren", _register_data("nieuw@example.nl"))
    _same(known, new)
    assert _flash(known_client) == _flash(new_client)
    assert db.session.scalar(select(func.count(User.id))) == 2
    assert smtp.envelopes == []  # both only queued a message
    assert deliver().delivered == 2
    recipients = sorted(m.rcpt_tos[0] for m in smtp.envelopes)
    assert recipients == ["anna@example.nl", "nieuw@example.nl"]
    to_anna = next(m for m in smtp.envelopes if m.rcpt_tos == ["anna@example.nl"])
    assert b"Iemand probeerde een nieuw account te maken" in to_anna.content
    anna_now = db.session.get(User, anna.id)
    assert anna_now.display_name != "Iemand" and anna_now.check_password(PASSWORD)
    assert all(s == MailStatus.SENT for s in db.session.scalars(select(OutboxMessage.status)))


def test_password_reset_answers_the_same_and_the_worker_delivers(app, db, anna, smtp):
    known = _post(app.test_client(), "/wachtwoord-vergeten", {"email": "anna@example.nl"})
    unknown = _post(app.test_client(), "/wachtwoord-vergeten", {"email": "niemand@example.nl"})
    _same(known, unknown)
    assert smtp.envelopes == []
    deliver()
    assert [m.rcpt_tos for m in smtp.envelopes] == [["anna@example.nl"]]
    assert b"/wachtwoord/nieuw#" in smtp.envelopes[0].content


def test_with_smtp_down_reset_and_registration_do_not_fail_for_known_addresses(
    app, db, anna, smtp_down
):
    known = _post(app.test_client(), "/wachtwoord-vergeten", {"email": "anna@example.nl"})
    unknown = _post(app.test_client(), "/wachtwoord-vergeten", {"email": "niemand@example.nl"})
    assert known.status_code == unknown.status_code == 302
    _same(known, unknown)
    known = _post(app.test_client(), "/registreren", _register_data("anna@example.nl"))
    new = _post(app.test_client(), "/registreren", _register_data("nieuw@example.nl"))
    assert known.status_code == new.status_code == 302
    # Waiting in the outbox; the worker finds the server down and tries again later.
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 3
    assert deliver().retrying == 3
    assert all(s == MailStatus.QUEUED for s in db.session.scalars(select(OutboxMessage.status)))
    server = smtp_down.come_back()
    later = max(db.session.scalars(select(OutboxMessage.next_attempt_at)))
    assert deliver(clock=lambda: later).delivered == 3
    assert sorted(server.recipients()) == ["anna@example.nl", "anna@example.nl", "nieuw@example.nl"]
    assert all(s == MailStatus.SENT for s in db.session.scalars(select(OutboxMessage.status)))


def test_login_answers_the_same_for_unknown_address_wrong_password_and_blocked(app, db, anna):
    make_user(email="weg@example.nl", is_active=False)
    db.session.commit()
    answers = [
        _post(app.test_client(), "/inloggen", {"email": email, "password": "fout wachtwoord"})
        for email in ("niemand@example.nl", "anna@example.nl", "weg@example.nl")
    ]
    pages = [
        _page(a.get_data(as_text=True)).replace(email, "")
        for a, email in zip(
            answers, ("niemand@example.nl", "anna@example.nl", "weg@example.nl"), strict=True
        )
    ]
    assert {a.status_code for a in answers} == {422}
    assert pages[0] == pages[1] == pages[2]
    blocked_right = _post(
        app.test_client(), "/inloggen", {"email": "weg@example.nl", "password": PASSWORD}
    )
    assert blocked_right.status_code == 422
