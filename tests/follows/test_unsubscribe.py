"""Every follower e-mail carries a one-click unsubscribe (RFC 8058) that needs no login.

A real SMTP server (aiosmtpd) on loopback receives what the worker delivers.
"""

from __future__ import annotations

import re

from buurtbegroting.extensions import db
from buurtbegroting.follows.digest import send_digests
from buurtbegroting.follows.services import preferences
from buurtbegroting.follows.tokens import make_token
from buurtbegroting.ideas.services import change_status
from buurtbegroting.models import FollowEvent, FollowTarget, IdeaStatus, NotifyMode
from tests.factories import make_idea
from tests.follows.helpers import followers_of, news_to
from tests.mailbox import deliver

BASE = "http://127.0.0.1:5000"


def _path(header: str) -> str:
    url = re.fullmatch(r"<(https?://\S+)>", header).group(1)
    assert url.startswith(BASE + "/afmelden/")
    return url[len(BASE) :]


def test_news_arrives_with_the_unsubscribe_headers_and_one_click_works(app, client, smtp_server):
    app.config["BASE_URL"] = BASE
    idea = make_idea()
    (fan,) = followers_of(FollowTarget.IDEA, idea.id, 1)
    change_status(idea, IdeaStatus.IN_REVIEW, None)
    db.session.commit()
    deliver()
    (message,) = [m for m in smtp_server.received if m["To"] == fan.email]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = _path(message["List-Unsubscribe"])
    # One plain line on the wire (an encoded word would be useless to a mail program).
    raw = b"".join(e.content for e in smtp_server.envelopes)
    assert f"List-Unsubscribe: <{BASE}{path}>\r\n".encode() in raw
    assert path.split("/afmelden/")[1] in message.get_payload(decode=True).decode()
    # A link scanner that only opens the link changes nothing.
    page = client.get(path)
    assert page.status_code == 200 and "Ja, stop deze e-mails" in page.get_data(as_text=True)
    assert preferences(fan.id)[FollowEvent.STATUS] == NotifyMode.IMMEDIATE
    # The mail program's one-click POST: no login, no CSRF token, only the RFC 8058 body.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert done.status_code == 200
    chosen = preferences(fan.id)
    assert chosen[FollowEvent.STATUS] == NotifyMode.OFF
    assert chosen[FollowEvent.PROGRESS] == NotifyMode.IMMEDIATE  # only that kind
    change_status(idea, IdeaStatus.ACCEPTED, None, "Goed.")
    assert news_to() == [fan.email]  # no second message


def test_the_digest_carries_an_unsubscribe_from_everything(app, client, smtp_server):
    app.config["BASE_URL"] = BASE
    idea = make_idea()
    (fan,) = followers_of(FollowTarget.IDEA, idea.id, 1, NotifyMode.DIGEST)
    change_status(idea, IdeaStatus.IN_REVIEW, None)
    send_digests()
    db.session.commit()
    deliver()
    (message,) = [m for m in smtp_server.received if m["To"] == fan.email]
    assert idea.title in message.get_payload(decode=True).decode()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.post(_path(message["List-Unsubscribe"]), data={"List-Unsubscribe": "One-Click"})
    assert set(preferences(fan.id).values()) == {NotifyMode.OFF}


def test_a_forged_or_damaged_token_is_refused_clearly(app, client):
    (fan,) = followers_of(FollowTarget.IDEA, make_idea().id, 1)
    db.session.commit()
    good = make_token(fan.id, FollowEvent.STATUS)
    with app.test_request_context():
        app.config["SECRET_KEY"], saved = "another-key", app.config["SECRET_KEY"]
        try:
            forged = make_token(fan.id, None)
        finally:
            app.config["SECRET_KEY"] = saved
    for bad in (forged, good[:-3] + "abc", "x", good + "x"):
        for method in ("GET", "POST"):
            response = client.open(f"/afmelden/{bad}", method=method)
            assert response.status_code == 400, (bad, method)
            assert "Deze link klopt niet" in response.get_data(as_text=True)
    assert set(preferences(fan.id).values()) == {NotifyMode.IMMEDIATE}


def test_a_token_of_a_deleted_account_is_refused(app, client):
    response = client.post(f"/afmelden/{make_token(12345, None)}")
    assert response.status_code == 400


def test_an_extra_header_that_is_not_one_line_is_never_sent(app, db, smtp_server):
    from buurtbegroting.mail import send_mail
    from buurtbegroting.models import MailStatus, OutboxMessage, User

    user = User(email="a@example.nl", display_name="A", password_hash="!")
    message = send_mail(
        "a@example.nl",
        "Onderwerp",
        "follow_digest",
        headers={"List-Unsubscribe": "<https://x>\r\nBcc: b@example.nl"},
        user=user,
        items=[],
        unsubscribe_url="https://x",
    )
    assert message.extra_headers["List-Unsubscribe"] == "<https://x> Bcc: b@example.nl"
    db.session.commit()
    # A row changed afterwards (by hand, by a bug) is refused by the worker.
    db.session.get(OutboxMessage, message.id).extra_headers = {"X-A": "1\nBcc: b@example.nl"}
    db.session.commit()
    deliver()
    assert smtp_server.received == []
    assert db.session.get(OutboxMessage, message.id).status == MailStatus.FAILED
