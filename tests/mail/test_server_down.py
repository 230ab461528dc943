"""With the mail server down every action that sends mail succeeds; the mail goes out later.

Each test does a user's action over HTTP while nothing listens on the SMTP port, checks the
action's effect and that its message waits, then brings a real SMTP server up on that
port and runs the worker past the back-off: the message is delivered, once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from buurtbegroting.models import (
    BudgetRound,
    Destination,
    IdeaStatus,
    MailStatus,
    OutboxMessage,
    Role,
)
from buurtbegroting.rounds import services
from tests.factories import make_district, make_idea, make_neighbourhood, make_user
from tests.factories.cheques import issue, make_campaign, make_collecting_idea
from tests.factories.rounds import issue_codes, make_round, put_on_ballot
from tests.mailbox import deliver


def _waiting(db, recipient):
    db.session.expire_all()
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == recipient)
    ).all()
    assert messages, f"no e-mail to {recipient} in the outbox"
    assert all(m.status == MailStatus.QUEUED for m in messages)
    return messages


def _worker_finds_the_server_down_then_delivers(db, smtp_down, recipient):
    """Run the worker while the server is down, bring it back, run it past the back-off."""
    assert deliver().retrying >= 1
    waiting = _waiting(db, recipient)
    assert all(m.attempts == 1 and m.last_error for m in waiting)
    server = smtp_down.come_back()
    later = max(m.next_attempt_at for m in waiting) + timedelta(seconds=1)
    deliver(clock=lambda: later)
    assert server.recipients().count(recipient) == len(waiting)
    assert deliver(clock=lambda: later).claimed == 0  # nothing goes twice
    db.session.expire_all()
    assert {m.status for m in _all_to(db, recipient)} == {MailStatus.SENT}
    return server


def _all_to(db, recipient):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient))


def test_password_reset_succeeds_and_the_link_goes_out_later(client, db, smtp_down):
    make_user(email="anna@example.nl")
    db.session.commit()
    response = client.post("/wachtwoord-vergeten", data={"email": "anna@example.nl"})
    assert response.status_code == 302
    server = _worker_finds_the_server_down_then_delivers(db, smtp_down, "anna@example.nl")
    assert "/wachtwoord/nieuw#" in server.bodies()[0]


def test_submitting_an_idea_succeeds_and_its_author_is_mailed_later(client, db, login, smtp_down):
    buurt = make_neighbourhood(make_district(), postcodes=("5344",))
    author = make_user(area=buurt, email="auteur@example.nl")
    idea = make_idea(
        buurt,
        author,
        status=IdeaStatus.DRAFT,
        own_theme="Bankjes",
        destination=Destination.CHEQUES,
        costs=(("Bankjes", 120_000),),
    )
    db.session.commit()
    login(author)
    response = client.post(f"/ideeen/{idea.id}/indienen")
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED
    _worker_finds_the_server_down_then_delivers(db, smtp_down, "auteur@example.nl")


def test_a_review_decision_succeeds_and_the_author_is_mailed_later(client, db, login, smtp_down):
    district = make_district()
    buurt = make_neighbourhood(district, postcodes=())
    idea = make_idea(buurt, make_user(area=buurt, email="auteur@example.nl"))
    coordinator = make_user(role=Role.COORDINATOR, coordinated_areas=[district])
    db.session.commit()
    login(coordinator)
    assert client.post(f"/beheer/beoordelen/{idea.id}/starten").status_code == 302
    response = client.post(
        f"/beheer/beoordelen/{idea.id}/besluit",
        data={"decision": "reject", "message": "Dit past niet in het plan."},
    )
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.REJECTED
    server = _worker_finds_the_server_down_then_delivers(db, smtp_down, "auteur@example.nl")
    assert any("Dit past niet in het plan." in body for body in server.bodies())


def test_the_cheque_that_completes_a_target_succeeds_and_the_author_is_mailed_later(
    client, db, smtp_down
):
    campaign = make_campaign(count=4)
    codes = issue(campaign)
    idea = make_collecting_idea(target_cents=3_000, author=make_user(email="auteur@example.nl"))
    db.session.commit()
    data = {f"codes-{i}": code for i, code in enumerate(codes)}
    data.update({"actie": "bevestig", "paste": "", "idea_id": str(idea.id)})
    response = client.post("/cheques/inwisselen", data=data)
    assert response.status_code == 200
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.FUNDED and idea.collected_cents == 3_000
    _worker_finds_the_server_down_then_delivers(db, smtp_down, "auteur@example.nl")


def test_closing_a_round_succeeds_and_the_authors_are_mailed_later(client, db, login, smtp_down):
    round_ = make_round(phase="voting", max_choices=3)
    ra = round_.areas[0]
    won, lost = put_on_ballot(ra, [600_000, 500_000])
    won.idea.author.email = "winnaar@example.nl"
    lost.idea.author.email = "verliezer@example.nl"
    for text in issue_codes(ra, 3):
        code = services.find_code(round_, text)
        services.cast_ballot(ra, {won.id: 1}, code=code, client_address="198.51.100.9")
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    login(admin)
    response = client.post(
        f"/beheer/rondes/{round_.id}/sluiten", data={"confirm": "y", "reason": "Storing"}
    )
    assert response.status_code == 302
    assert db.session.get(BudgetRound, round_.id).closed_at is not None
    _worker_finds_the_server_down_then_delivers(db, smtp_down, "verliezer@example.nl")
    assert db.session.scalars(
        select(OutboxMessage.status).where(OutboxMessage.recipient == "winnaar@example.nl")
    ).all() == [MailStatus.SENT]
