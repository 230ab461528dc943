"""Beheer → E-mail: the queue by state with counts, metadata only, and retrying failed mail."""

from __future__ import annotations

from sqlalchemy import select

from buurtbegroting.models import AuditEntry, MailStatus, OutboxMessage, Role
from tests.factories import make_district, make_user
from tests.factories.mail import make_outbox_message as _mail
from tests.mailbox import deliver


def _admin(db, login):
    user = login(make_user(role=Role.ADMIN, email="beheer@oss.nl"))
    db.session.commit()
    return user


def test_the_page_shows_the_queue_by_state_with_counts(client, db, login):
    _admin(db, login)
    db.session.add_all(
        [
            _mail(MailStatus.QUEUED, subject="Wacht nog", attempts=2, last_error="Server weg"),
            _mail(MailStatus.SENT, subject="Is verstuurd"),
            _mail(MailStatus.FAILED, subject="Ging mis", last_error="550 No such user"),
            _mail(
                MailStatus.QUEUED,
                subject="Nieuw wachtwoord",
                kind="password_reset",
                is_secret=True,
                body=None,
                sealed_body=b"versleuteld",
            ),
        ]
    )
    db.session.commit()
    page = client.get("/beheer/uitgaande-mail").get_data(as_text=True)
    for count in ("Alle (4)", "Wacht (2)", "Verstuurd (1)", "Mislukt (1)"):
        assert count in page
    assert "Alle mislukte e-mails opnieuw versturen" in page
    # Each filter shows its own messages; an unknown one shows them all.
    shown = {
        "waiting": ({"Wacht nog", "Nieuw wachtwoord"}, {"Is verstuurd", "Ging mis"}),
        "delivered": ({"Is verstuurd"}, {"Wacht nog", "Ging mis"}),
        "failed": ({"Ging mis"}, {"Wacht nog", "Is verstuurd"}),
        "<script>": ({"Wacht nog", "Is verstuurd", "Ging mis"}, set()),
    }
    for state, (present, absent) in shown.items():
        response = client.get("/beheer/uitgaande-mail", query_string={"status": state, "page": "x"})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert all(s in html for s in present) and not any(s in html for s in absent), state
    secret = db.session.scalar(select(OutboxMessage).where(OutboxMessage.is_secret))
    detail = client.get(f"/beheer/uitgaande-mail/{secret.id}").get_data(as_text=True)
    assert "versleuteld" not in detail and "De tekst wordt niet bewaard" in detail


def test_retrying_a_failed_message_is_audited_and_the_worker_sends_it(
    client, db, login, smtp_server
):
    admin = _admin(db, login)
    message = _mail(MailStatus.FAILED, attempts=8, last_error="Server weg")
    db.session.add(message)
    db.session.commit()
    page = client.get(f"/beheer/uitgaande-mail/{message.id}").get_data(as_text=True)
    assert "Server weg" in page and "Opnieuw versturen" in page
    response = client.post(f"/beheer/uitgaande-mail/{message.id}/opnieuw")
    assert response.status_code == 302
    db.session.refresh(message)
    assert message.status == MailStatus.QUEUED and message.attempts == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "mail.retry"))
    assert entry.actor_id == admin.id and entry.object_id == str(message.id)
    assert entry.before["attempts"] == 8 and entry.before["last_error"] == "Server weg"
    assert deliver().delivered == 1 and len(smtp_server.envelopes) == 1
    log = client.get("/beheer/logboek").get_data(as_text=True)
    assert "E-mail opnieuw verstuurd" in log


def test_a_failed_secret_cannot_be_retried_its_text_is_gone(client, db, login):
    _admin(db, login)
    message = _mail(MailStatus.FAILED, kind="password_reset", is_secret=True, body=None)
    db.session.add(message)
    db.session.commit()
    page = client.get(f"/beheer/uitgaande-mail/{message.id}").get_data(as_text=True)
    assert "Opnieuw versturen" not in page and "kan niet opnieuw verstuurd worden" in page
    response = client.post(f"/beheer/uitgaande-mail/{message.id}/opnieuw", follow_redirects=True)
    assert "Deze e-mail kan niet opnieuw verstuurd worden." in response.get_data(as_text=True)
    db.session.refresh(message)
    assert message.status == MailStatus.FAILED
    assert db.session.scalar(select(AuditEntry)) is None


def test_retry_all_queues_the_failed_messages_that_can_go_in_one_audit_entry(client, db, login):
    _admin(db, login)
    db.session.add_all(
        [
            _mail(MailStatus.FAILED, subject="Een"),
            _mail(MailStatus.FAILED, subject="Twee"),
            _mail(MailStatus.FAILED, is_secret=True, body=None),
            _mail(MailStatus.FAILED, recipient="a@example.nl Bcc: b@example.nl"),
            _mail(MailStatus.SENT),
        ]
    )
    db.session.commit()
    response = client.post("/beheer/uitgaande-mail/opnieuw", follow_redirects=True)
    assert "E-mails die opnieuw verstuurd worden: 2." in response.get_data(as_text=True)
    queued = db.session.scalars(
        select(OutboxMessage.subject).where(OutboxMessage.status == MailStatus.QUEUED)
    ).all()
    assert sorted(queued) == ["Een", "Twee"]
    (entry,) = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "mail.retry_failed" and len(entry.after["ids"]) == 2


def test_retrying_is_for_administrators_and_refuses_bad_requests(
    app, client, db, login, monkeypatch
):
    message = _mail(MailStatus.FAILED)
    db.session.add(message)
    coordinator = make_user(role=Role.COORDINATOR, coordinated_areas=[make_district()])
    db.session.commit()
    login(coordinator)
    assert client.post(f"/beheer/uitgaande-mail/{message.id}/opnieuw").status_code == 403
    assert client.post("/beheer/uitgaande-mail/opnieuw").status_code == 403
    _admin(db, login)
    assert client.post("/beheer/uitgaande-mail/99999/opnieuw").status_code == 404
    assert client.get(f"/beheer/uitgaande-mail/{message.id}/opnieuw").status_code == 405
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    # No CSRF token: refused, nothing changes.
    assert client.post(f"/beheer/uitgaande-mail/{message.id}/opnieuw").status_code == 400
    assert client.post("/beheer/uitgaande-mail/opnieuw").status_code == 400
    db.session.refresh(message)
    assert message.status == MailStatus.FAILED
    assert db.session.scalar(select(AuditEntry)) is None
