"""The outbox keeps metadata, not secrets: reset and invitation links are never readable in the app."""

from sqlalchemy import select

from buurtbegroting.mail import send_mail
from buurtbegroting.models import Destination, MailStatus, OutboxMessage, Role
from tests.factories import make_district, make_idea, make_neighbourhood, make_user
from tests.mailbox import deliver


def _admin_pages(client, login, db):
    """Return the HTML of the outbox list and of every message, as an administrator sees it."""
    login(make_user(role=Role.ADMIN))
    db.session.commit()
    pages = [client.get("/beheer/uitgaande-mail").get_data(as_text=True)]
    for message in db.session.scalars(select(OutboxMessage)):
        response = client.get(f"/beheer/uitgaande-mail/{message.id}")
        assert response.status_code == 200
        pages.append(response.get_data(as_text=True))
    return pages


def _token(link: str) -> str:
    # Reset links carry the token in the fragment; invitation links in the path.
    if "#" in link:
        return link.rsplit("#", 1)[1]
    return link.rstrip("/").rsplit("/", 1)[1]


def test_admin_cannot_find_a_delivered_reset_token_in_the_outbox(client, login, db, smtp_server):
    make_user(email="anna@example.nl")
    db.session.commit()
    response = client.post("/wachtwoord-vergeten", data={"email": "anna@example.nl"})
    assert response.status_code == 302
    assert smtp_server.bodies() == []  # only queued: the worker delivers
    assert deliver().delivered == 1
    (delivered,) = smtp_server.bodies()
    token = _token(next(w for w in delivered.split() if "/wachtwoord/nieuw#" in w))
    assert len(token) > 20
    pages = _admin_pages(client, login, db)
    assert all(token not in page for page in pages)
    # The metadata is still there: to whom, what kind, delivered.
    assert "anna@example.nl" in pages[0] and "Nieuw wachtwoord" in pages[0]
    assert "Verstuurd" in pages[0]
    assert "De tekst wordt niet bewaard" in pages[1]
    message = db.session.scalar(select(OutboxMessage))
    assert message.is_secret and message.kind == "password_reset"
    assert message.status == MailStatus.SENT and message.sent_at is not None
    assert message.body is None and message.sealed_body is None


def test_outbox_backend_writes_a_reset_link_only_to_the_log(client, login, db, mailbox):
    make_user(email="anna@example.nl")
    db.session.commit()
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.nl"})
    link = mailbox.link_to("anna@example.nl")
    token = _token(link)
    assert db.session.scalar(select(OutboxMessage)).body is None
    assert all(token not in page for page in _admin_pages(client, login, db))
    # The link in the log works: that is how a developer resets a password.
    client.post("/uitloggen")
    assert client.get(link.split("localhost", 1)[1].split("#")[0]).status_code == 200


def test_ordinary_mail_stays_readable_for_administrators(app, client, login, db, mailbox):
    user = make_user(email="piet@example.nl")
    send_mail(user.email, "Uw idee", "idea_status", idea=None, user=user, message="Goedgekeurd")
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage))
    assert not message.is_secret and message.kind == "idea_status"
    assert message.status == MailStatus.WRITTEN
    assert "Goedgekeurd" in _admin_pages(client, login, db)[1]


def test_failed_delivery_is_recorded_without_the_secret(
    app, client, login, db, smtp_down, monkeypatch
):
    user = make_user(email="anna@example.nl")
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    message = send_mail(
        user.email,
        "Kies een nieuw wachtwoord",
        "password_reset",
        secret=True,
        user=user,
        url="http://localhost/wachtwoord-herstellen/GEHEIM-123",
        minutes=60,
    )
    db.session.commit()
    assert deliver().retrying == 1
    # Waiting for the next attempt: the text is kept, but only encrypted.
    db.session.refresh(message)
    assert message.status == MailStatus.QUEUED and message.body is None
    assert b"GEHEIM-123" not in message.sealed_body
    assert all("GEHEIM-123" not in page for page in _admin_pages(client, login, db))
    assert deliver(clock=lambda: message.next_attempt_at).failed == 1
    db.session.refresh(message)
    assert message.status == MailStatus.FAILED and message.attempts == 2
    assert message.body is None and message.sealed_body is None
    assert "cannot be reached" in message.last_error
    pages = _admin_pages(client, login, db)
    assert "Mislukt" in pages[0]
    assert all("GEHEIM-123" not in page for page in pages)


def test_co_organiser_invitation_link_is_not_kept(client, login, db, mailbox):
    east = make_neighbourhood(make_district(), postcodes=("5344",))
    author = make_user(area=east)
    idea = make_idea(east, author, title="Buurtbarbecue", destination=Destination.CHEQUES)
    db.session.commit()
    login(author)
    client.post(
        f"/ideeen/{idea.id}/cheques/uitnodigen", data={"name": "Kees", "email": "kees@example.nl"}
    )
    token = _token(mailbox.link_to("kees@example.nl", r"http://\S+/cheques/bevestigen/\S+"))
    message = db.session.scalar(select(OutboxMessage))
    assert message.is_secret and message.body is None
    assert all(token not in page for page in _admin_pages(client, login, db))
