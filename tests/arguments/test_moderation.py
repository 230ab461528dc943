"""Reported arguments reach the area's coordinators and administrators, who hide or keep them."""

from __future__ import annotations

from sqlalchemy import select

from buurtbegroting.domain.arguments import ArgumentSide
from buurtbegroting.models import Argument, ArgumentReport, AuditEntry, OutboxMessage
from tests.factories import make_district, make_idea, make_neighbourhood, make_user


def _report(client, login, user, argument, reason="personal_attack"):
    login(user)
    return client.post(f"/argumenten/{argument.id}/melden", data={"reason": reason})


def test_coordinator_hides_a_reported_argument_with_a_public_reason(client, login, db, debate):
    argument = debate["argument"]
    assert _report(client, login, debate["bram"], argument).status_code == 302
    login(debate["coordinator"])
    queue = client.get("/beheer/argumenten/")
    assert queue.status_code == 200 and "Fijn voor ouderen." in queue.get_data(as_text=True)
    decided = client.post(
        f"/beheer/argumenten/{argument.id}", data={"decision": "hide", "reason": "personal_attack"}
    )
    assert decided.status_code == 302
    db.session.refresh(argument)
    assert argument.is_hidden and argument.hidden_by_id == debate["coordinator"].id
    page = client.get(f"/ideeen/{debate['idea'].id}").get_data(as_text=True)
    assert "Verborgen door de moderator: persoonlijke aanval" in page
    assert "Fijn voor ouderen." not in page
    assert db.session.scalar(select(ArgumentReport.closed_at)) is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "argument.hide"))
    assert entry.after["reason"] == "personal_attack"
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "argument_hidden"))
    assert mail.recipient == debate["anna"].email
    assert "persoonlijke aanval" in mail.body
    assert "Verborgen" not in client.get("/beheer/argumenten/").get_data(as_text=True)


def test_hidden_argument_takes_no_reply_helpful_mark_or_report(client, login, db, debate):
    argument = debate["argument"]
    _report(client, login, debate["bram"], argument)
    login(debate["admin"])
    client.post(f"/beheer/argumenten/{argument.id}", data={"decision": "hide", "reason": "spam"})
    login(debate["bram"])
    reply = client.post(f"/argumenten/{argument.id}/reageren", data={"body": "Hallo"})
    assert reply.status_code == 409 and "verborgen" in reply.get_data(as_text=True)
    assert client.post(f"/argumenten/{argument.id}/nuttig", data={"nuttig": "1"}).status_code == 409
    assert _report(client, login, make_user(), argument).status_code in (302, 409)


def test_keep_closes_the_reports_and_is_audited(client, login, db, debate):
    argument = debate["argument"]
    _report(client, login, debate["bram"], argument, "off_topic")
    login(debate["admin"])
    kept = client.post(f"/beheer/argumenten/{argument.id}", data={"decision": "keep"})
    assert kept.status_code == 302
    db.session.refresh(argument)
    assert not argument.is_hidden
    assert db.session.scalar(select(ArgumentReport.closed_by_id)) == debate["admin"].id
    assert db.session.scalar(select(AuditEntry.action)) == "argument.keep"


def test_hiding_without_a_reason_is_refused_at_the_field(client, login, db, debate):
    login(debate["admin"])
    response = client.post(f"/beheer/argumenten/{debate['argument'].id}", data={"decision": "hide"})
    assert response.status_code == 422
    assert "Kies de reden" in response.get_data(as_text=True)
    bad = client.post(f"/beheer/argumenten/{debate['argument'].id}", data={"decision": "x"})
    assert bad.status_code == 422


def test_coordinator_of_another_area_neither_sees_nor_decides(client, login, db, debate):
    elsewhere = make_district(name="Elders")
    other = make_user(role=debate["coordinator"].role, coordinated_areas=[elsewhere])
    idea = make_idea(make_neighbourhood(elsewhere, postcodes=()))
    there = Argument(idea=idea, author_id=debate["anna"].id, side=ArgumentSide.AGAINST, body="Daar")
    db.session.add(there)
    db.session.commit()
    _report(client, login, debate["bram"], debate["argument"])
    _report(client, login, debate["bram"], there)
    login(other)
    queue = client.get("/beheer/argumenten/").get_data(as_text=True)
    assert "Daar" in queue and "Fijn voor ouderen." not in queue
    refused = client.post(f"/beheer/argumenten/{debate['argument'].id}", data={"decision": "keep"})
    assert refused.status_code == 403


def test_residents_and_reviewers_cannot_open_the_queue(client, login, debate):
    login(debate["bram"])
    assert client.get("/beheer/argumenten/").status_code == 403
    login(debate["reviewer"])
    assert client.get("/beheer/argumenten/").status_code == 403
