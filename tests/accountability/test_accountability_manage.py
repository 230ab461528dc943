"""The municipality: payouts, returns, approving reports or asking for changes, late reports."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from buurtbegroting.models import AuditEntry, Funding, IdeaStatus, OutboxMessage, ReportStatus
from tests.factories.accountability import funded_idea


def manage(world):
    return f"/beheer/verantwoording/{world.idea.id}"


def submit_report(client, login, world):
    login(world.author)
    client.post(
        f"/verantwoording/idee/{world.idea.id}/eindverslag",
        data={"text": "Het ging goed.", "participants": "30", "send": "1"},
    )


def actions(db, name):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == name)).all()


def test_payout_is_recorded_and_audited(client, login, world, db):
    login(world.coordinator)
    response = client.post(
        manage(world) + "/uitbetaling",
        data={"amount": "1.000,00", "paid_on": "2026-02-01", "reference": "BB-2026-001"},
    )
    assert response.status_code == 302
    funding = db.session.get(Funding, world.funding.id)
    assert (funding.payout_cents, funding.payout_on, funding.payout_reference) == (
        100_000,
        date(2026, 2, 1),
        "BB-2026-001",
    )
    [entry] = actions(db, "funding.payout")
    assert entry.after["payout_cents"] == 100_000
    assert "bank_account" not in entry.after
    page = client.get(f"/ideeen/{world.idea.id}").text
    assert "BB-2026-001" in page


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"amount": "-5", "paid_on": "2026-02-01", "reference": "x"},
            "Het bedrag kan niet negatief zijn.",
        ),
        (
            {"amount": "1e9", "paid_on": "2026-02-01", "reference": "x"},
            "Schrijf het bedrag in euro",
        ),
        (
            {"amount": "2000", "paid_on": "2026-02-01", "reference": "x"},
            "De uitbetaling kan niet hoger zijn",
        ),
        (
            {"amount": "100", "paid_on": "2026-13-01", "reference": "x"},
            "Vul een datum in, zoals 31-12-2026.",
        ),
        (
            {"amount": "100", "paid_on": "2026-02-01", "reference": ""},
            "Vul het kenmerk van de betaling in.",
        ),
    ],
)
def test_bad_payout_is_refused_and_nothing_is_written(client, login, world, db, data, message):
    login(world.coordinator)
    response = client.post(manage(world) + "/uitbetaling", data=data)
    assert response.status_code == 422
    assert message in response.text
    funding = db.session.get(Funding, world.funding.id)
    assert funding.payout_cents is None
    assert actions(db, "funding.payout") == []


def test_return_is_recorded_audited_and_bounded(client, login, world, db):
    login(world.admin)
    client.post(
        manage(world) + "/uitbetaling",
        data={"amount": "800", "paid_on": "2026-02-01", "reference": "R1"},
    )
    response = client.post(manage(world) + "/terugbetaling", data={"amount": "900"})
    assert response.status_code == 422
    assert "Er kan niet meer terugbetaald worden" in response.text
    response = client.post(manage(world) + "/terugbetaling", data={"amount": "125,50"})
    assert response.status_code == 302
    assert db.session.get(Funding, world.funding.id).returned_cents == 12_550
    assert len(actions(db, "funding.return")) == 1
    # Sent twice: the same total, no second log entry.
    client.post(manage(world) + "/terugbetaling", data={"amount": "125,50"})
    assert len(actions(db, "funding.return")) == 1


def test_approving_a_report_accounts_for_the_idea(client, login, world, db):
    submit_report(client, login, world)
    login(world.coordinator)
    response = client.post(
        manage(world) + "/beoordeling", data={"decision": "approve", "message": ""}
    )
    assert response.status_code == 302
    funding = db.session.get(Funding, world.funding.id)
    assert funding.status == ReportStatus.APPROVED
    assert funding.idea.status == IdeaStatus.ACCOUNTED
    assert funding.report.reviewed_by_id == world.coordinator.id
    assert len(actions(db, "funding.approve")) == 1
    assert "Het ging goed." in client.get(f"/ideeen/{world.idea.id}").text
    # Double-submitted: refused at the field, nothing changes.
    again = client.post(manage(world) + "/beoordeling", data={"decision": "approve"})
    assert again.status_code == 422
    assert len(actions(db, "funding.approve")) == 1


def test_asking_for_changes_needs_a_message_and_mails_the_initiators(client, login, world, db):
    submit_report(client, login, world)
    login(world.coordinator)
    response = client.post(
        manage(world) + "/beoordeling", data={"decision": "changes", "message": ""}
    )
    assert response.status_code == 422
    assert "Schrijf wat de initiatiefnemers moeten veranderen." in response.text
    response = client.post(
        manage(world) + "/beoordeling",
        data={"decision": "changes", "message": "Voeg de bonnen toe."},
    )
    assert response.status_code == 302
    funding = db.session.get(Funding, world.funding.id)
    assert funding.status == ReportStatus.CHANGES_REQUESTED
    assert funding.review_message == "Voeg de bonnen toe."
    recipients = {m.recipient for m in db.session.scalars(select(OutboxMessage))}
    assert {"anna@example.nl", "gijs@example.nl"} <= recipients
    assert len(actions(db, "funding.changes_requested")) == 1
    # The initiators can change and send again.
    login(world.author)
    page = client.get(f"/verantwoording/idee/{world.idea.id}").text
    assert "Voeg de bonnen toe." in page
    client.post(
        f"/verantwoording/idee/{world.idea.id}/eindverslag",
        data={"text": "Nu met bonnen.", "send": "1"},
    )
    assert db.session.get(Funding, world.funding.id).status == ReportStatus.REPORT_SUBMITTED


def test_review_of_a_report_that_was_not_sent_is_refused(client, login, world, db):
    login(world.coordinator)
    response = client.post(manage(world) + "/beoordeling", data={"decision": "approve"})
    assert response.status_code == 422
    response = client.post(manage(world) + "/beoordeling", data={"decision": "weg"})
    assert response.status_code == 422
    assert db.session.get(Funding, world.funding.id).status == ReportStatus.FUNDED


def test_list_shows_late_reports_first_and_marked(client, login, world, db):
    late_idea, late = funded_idea(
        world.buurt, planned_end=date.today() - timedelta(weeks=8), title="Laat idee"
    )
    world.funding.report_due_on = date.today() + timedelta(days=30)
    db.session.commit()
    login(world.coordinator)
    page = client.get("/beheer/verantwoording/").text
    assert page.index("Laat idee") < page.index("Speeltuin opknappen")
    assert 'class="acc-overdue"' in page
    assert "Eindverslag te laat" in page
