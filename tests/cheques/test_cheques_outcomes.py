"""Outcomes: funded, not reached (value back to the pot), one extension, expired cheques."""

from datetime import timedelta

from sqlalchemy import func, select

from buurtbegroting.cheques import services
from buurtbegroting.models import AuditEntry, Cheque, CodeStatus, Funding, IdeaStatus, PotEntry
from tests.factories.cheques import make_collecting_idea, today


def _give(client, idea, codes):
    data = {f"codes-{i}": c for i, c in enumerate(codes)}
    return client.post(
        "/cheques/inwisselen", data={**data, "actie": "bevestig", "idea_id": idea.id}
    )


def test_close_expired_marks_not_reached_records_the_pot_and_is_safe_twice(
    client, db, runner, world
):
    idea = world["idea"]
    _give(client, idea, world["codes"][:2])
    later = (today() + timedelta(days=60)).isoformat()
    first = runner.invoke(args=["cheques", "close-expired", "--today", later])
    assert first.exit_code == 0, first.output
    assert "not reached: 1" in first.output and "cheques expired: 18" in first.output
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.NOT_FUNDED
    pot = db.session.scalars(select(PotEntry)).all()
    assert [(p.idea_id, p.campaign_id, p.amount_cents) for p in pot] == [
        (idea.id, world["campaign"].id, 1_500)
    ]
    second = runner.invoke(args=["cheques", "close-expired", "--today", later])
    assert "Funded: 0; not reached: 0" in second.output and "cheques expired: 0" in second.output
    assert db.session.scalar(select(func.count(PotEntry.id))) == 1
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True).replace("\xa0", " ")
    assert "Doel niet gehaald." in page and "(€ 15,00) gaat terug naar de gemeentelijke pot" in page
    expired = client.post("/cheques/controleren", data={"code": world["codes"][5]}).json
    assert expired["status"] == "expired"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cheques.not_reached"))


def test_close_expired_leaves_collecting_initiatives_alone(runner, db, world):
    result = runner.invoke(args=["cheques", "close-expired"])
    assert "not reached: 0" in result.output
    db.session.refresh(world["idea"])
    assert world["idea"].status == IdeaStatus.ACCEPTED


def test_close_expired_funds_an_initiative_that_reached_its_target(db, world):
    idea = world["idea"]
    idea.collected_cents = idea.target_cents
    db.session.commit()
    summary = services.close_expired()
    assert summary.funded == [idea.id]
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.FUNDED
    assert (
        db.session.scalar(select(Funding.amount_cents).where(Funding.idea_id == idea.id)) == 3_000
    )


def test_coordinator_extends_the_date_once(client, db, login, world):
    idea = world["idea"]
    url = f"/beheer/cheques/initiatieven/{idea.id}/verlengen"
    new_date = (idea.target_date + timedelta(days=14)).isoformat()
    login(world["other_coordinator"])
    assert idea.title not in client.get("/beheer/cheques/initiatieven").get_data(as_text=True)
    assert client.post(url, data={"new_date": new_date}).status_code == 403
    login(world["coordinator"])
    page = client.get("/beheer/cheques/initiatieven").get_data(as_text=True)
    assert idea.title in page and "verlengen" in page
    earlier = client.post(url, data={"new_date": today().isoformat()}, follow_redirects=True)
    assert "Kies een datum na de huidige einddatum" in earlier.get_data(as_text=True)
    client.post(url, data={"new_date": new_date})
    db.session.refresh(idea)
    assert idea.target_date.isoformat() == new_date and idea.target_date_extended
    assert client.post(url, data={"new_date": "2099-01-01"}).status_code == 403
    assert "een keer verlengd" in client.get(f"/ideeen/{idea.id}").get_data(as_text=True)


def test_expired_cheques_of_a_finished_campaign(db, world):
    campaign = world["campaign"]
    summary = services.close_expired(campaign.activation_ends_on + timedelta(days=1))
    assert summary.expired_cheques == 20
    assert (
        db.session.scalar(select(func.count(Cheque.id)).where(Cheque.status == CodeStatus.EXPIRED))
        == 20
    )


def test_progress_bar_shows_euros_cheques_and_days_left(client, db, world):
    idea = world["idea"]
    _give(client, idea, world["codes"][:2])
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True).replace("\xa0", " ")
    assert '<progress class="cheque-bar"' in page and 'max="3000" value="1500"' in page
    assert "€ 15,00</strong> ingezameld van € 30,00" in page
    assert "Cheques: 2" in page and "50% van het doel" in page and "Nog 22 dagen" in page
    other = make_collecting_idea(destination="budget_round", title="Stemidee")
    db.session.commit()
    assert "cheque-bar" not in client.get(f"/ideeen/{other.id}").get_data(as_text=True)
