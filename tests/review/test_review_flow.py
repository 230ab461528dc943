"""The municipality reviews ideas: queue, assessment, decision; every denial tested."""

import re

import pytest
from sqlalchemy import select

from buurtbegroting.models import AuditEntry, Destination, IdeaStatus, OutboxMessage, Role, Support
from tests.factories import make_district, make_idea, make_neighbourhood, make_plan, make_user


@pytest.fixture()
def setup(db):
    district = make_district(name="Ruwaard")
    buurt = make_neighbourhood(district, name="Ruwaard-Oost", postcodes=())
    plan = make_plan(district, spearheads=("Groen", "Ontmoeten"))
    elsewhere = make_district(name="Lith")
    author = make_user(area=buurt, display_name="Anna")
    idea = make_idea(
        buurt, author, title="Bankjes", costs=(("Bank", 350_000), ("Koffie en thee", 2_000))
    )
    people = {
        "admin": make_user(role=Role.ADMIN),
        "reviewer": make_user(role=Role.REVIEWER),
        "coordinator": make_user(role=Role.COORDINATOR, coordinated_areas=[district]),
        "other_coordinator": make_user(role=Role.COORDINATOR, coordinated_areas=[elsewhere]),
        "resident": make_user(),
    }
    db.session.commit()
    return {"idea": idea, "author": author, "plan": plan, **people}


def test_queue_shows_ideas_in_scope_with_cost_warnings(client, login, setup):
    login(setup["coordinator"])
    page = client.get("/beheer/beoordelen/").get_data(as_text=True)
    assert "Bankjes" in page and "Eten en drinken" in page
    login(setup["other_coordinator"])
    assert "Bankjes" not in client.get("/beheer/beoordelen/").get_data(as_text=True)
    assert client.get(f"/beheer/beoordelen/{setup['idea'].id}").status_code == 403
    login(setup["reviewer"])
    assert "Bankjes" in client.get("/beheer/beoordelen/").get_data(as_text=True)


def _ready_for_cheques(db, idea):
    """Give an idea what cheque collection needs: a target, a date and three organisers."""
    from datetime import date, timedelta

    from buurtbegroting.models import CoOrganiser, utcnow

    idea.target_cents = 400_000
    idea.target_date = date.today() + timedelta(days=30)
    db.session.add(
        CoOrganiser(
            idea=idea,
            name="Anna",
            email="a@example.nl",
            token_hash=f"author-{idea.id}",
            address_hash="a" * 64,
            confirmed_at=utcnow(),
        )
    )
    for n in (1, 2):
        db.session.add(
            CoOrganiser(
                idea=idea,
                name=f"Buur {n}",
                email=f"buur{n}@example.nl",
                token_hash=str(n) * 64,
                address_hash=str(n) * 64,
                confirmed_at=utcnow(),
            )
        )
    db.session.commit()


def test_accept_for_cheques_is_refused_without_target_date_and_organisers(client, db, login, setup):
    idea = setup["idea"]
    login(setup["coordinator"])
    response = client.post(
        f"/beheer/beoordelen/{idea.id}/besluit", data={"decision": "accept_cheques"}
    )
    assert response.status_code == 422
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED


def test_accept_for_cheques_records_timeline_audit_and_mails_the_author(client, db, login, setup):
    idea = setup["idea"]
    _ready_for_cheques(db, idea)
    login(setup["coordinator"])
    assert client.post(f"/beheer/beoordelen/{idea.id}/starten").status_code == 302
    response = client.post(
        f"/beheer/beoordelen/{idea.id}/besluit", data={"decision": "accept_cheques", "message": ""}
    )
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.ACCEPTED and idea.destination == Destination.CHEQUES
    assert [c.to_status for c in idea.status_changes][-2:] == [
        IdeaStatus.IN_REVIEW,
        IdeaStatus.ACCEPTED,
    ]
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == setup["author"].email)
    ).all()
    assert len(mails) == 2 and "Goedgekeurd" in mails[-1].body
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea.accepted"))
    assert entry.actor_id == setup["coordinator"].id and entry.after["destination"] == "cheques"


def test_reject_needs_a_reason_which_is_then_public(client, db, login, setup):
    idea = setup["idea"]
    login(setup["reviewer"])
    missing = client.post(
        f"/beheer/beoordelen/{idea.id}/besluit", data={"decision": "reject", "message": "  "}
    )
    assert missing.status_code == 422
    assert "Schrijf een bericht voor de indiener." in missing.get_data(as_text=True)
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED
    client.post(
        f"/beheer/beoordelen/{idea.id}/besluit",
        data={"decision": "reject", "message": "Dit is geen taak van de gemeente."},
    )
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.REJECTED
    client.post("/uitloggen")
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert "Dit is geen taak van de gemeente." in page


def test_ask_for_changes_lets_the_author_edit_and_send_again(client, db, login, setup):
    idea = setup["idea"]
    idea.own_theme = "Zitten"
    db.session.commit()
    login(setup["admin"])
    client.post(
        f"/beheer/beoordelen/{idea.id}/besluit",
        data={"decision": "changes", "message": "Voeg een tekening toe."},
    )
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.CHANGES_REQUESTED
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert "Voeg een tekening toe." in mail.body
    login(setup["author"])
    assert client.get(f"/ideeen/{idea.id}/stap/1").status_code == 200
    assert client.post(f"/ideeen/{idea.id}/indienen").status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED


def test_adjusted_cost_needs_a_reason_and_a_real_amount(client, db, login, setup):
    idea = setup["idea"]
    login(setup["reviewer"])
    url = f"/beheer/beoordelen/{idea.id}/beoordeling"
    no_reason = client.post(url, data={"adjusted_cost": "4000"})
    assert (
        no_reason.status_code == 422
        and "Zeg waarom de kosten anders zijn." in no_reason.get_data(as_text=True)
    )
    bad = client.post(url, data={"adjusted_cost": "-4000", "adjusted_cost_reason": "x"})
    assert bad.status_code == 422 and "negatief" in bad.get_data(as_text=True)
    foreign = make_plan(make_district(), spearheads=("Elders",)).spearheads[0]
    db.session.commit()
    wrong = client.post(url, data={"spearhead_ids": [foreign.id]})
    assert wrong.status_code == 422
    good = client.post(
        url,
        data={
            "adjusted_cost": "4.000,00",
            "adjusted_cost_reason": "Plaatsen kost meer.",
            "feasibility_note": "Kan.",
            "spearhead_ids": [setup["plan"].spearheads[1].id],
        },
    )
    assert good.status_code == 302
    db.session.refresh(idea)
    assert idea.adjusted_cost_cents == 400_000 and idea.cost_cents == 400_000
    assert [s.title for s in idea.spearheads] == ["Ontmoeten"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea.assessment"))
    assert (
        entry.after["adjusted_cost_cents"] == 400_000
        and entry.before["adjusted_cost_cents"] is None
    )
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert "Plaatsen kost meer." in page
    assert "Kan." not in page  # the feasibility note is for the municipality only


def test_minimum_supports_before_acceptance(client, db, login, setup, app):
    idea = setup["idea"]
    rules = app.config["IDEA_RULES"]
    original = dict(rules["budget_round"])
    rules["budget_round"]["min_supports"] = 2
    try:
        login(setup["reviewer"])
        queue = client.get("/beheer/beoordelen/").get_data(as_text=True)
        assert "Verzamelt nog steun" in queue
        refused = client.post(
            f"/beheer/beoordelen/{idea.id}/besluit", data={"decision": "accept_budget_round"}
        )
        assert refused.status_code == 422
        assert "2 steunbetuigingen nodig" in refused.get_data(as_text=True)
        for _ in range(2):
            db.session.add(Support(idea_id=idea.id, user_id=make_user().id))
        db.session.commit()
        assert (
            client.post(
                f"/beheer/beoordelen/{idea.id}/besluit", data={"decision": "accept_budget_round"}
            ).status_code
            == 302
        )
    finally:
        rules["budget_round"] = original
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.ACCEPTED


def test_decisions_on_an_idea_that_is_not_in_review_are_refused(client, db, login, setup):
    idea = setup["idea"]
    idea.status = IdeaStatus.DRAFT
    db.session.commit()
    login(setup["admin"])
    response = client.post(
        f"/beheer/beoordelen/{idea.id}/besluit", data={"decision": "accept_budget_round"}
    )
    assert response.status_code == 422
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.DRAFT


def test_unknown_decision_value_is_refused(client, db, login, setup):
    login(setup["admin"])
    response = client.post(
        f"/beheer/beoordelen/{setup['idea'].id}/besluit", data={"decision": "delete_everything"}
    )
    assert response.status_code == 422
    assert re.search("Kies een besluit|geldige", response.get_data(as_text=True))
