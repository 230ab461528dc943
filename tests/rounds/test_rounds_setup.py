"""Setting up a round: settings, areas and budgets, ballot items; locked once voting starts."""

import pytest
from sqlalchemy import select

from buurtbegroting.models import (
    AuditEntry,
    BallotItem,
    BudgetRound,
    Destination,
    IdeaStatus,
    Role,
    RoundArea,
)
from buurtbegroting.rounds.forms import to_local
from tests.factories import make_district, make_idea, make_neighbourhood, make_user
from tests.factories.rounds import make_round, put_on_ballot


def _form(**overrides):
    data = {
        "name": "Buurtbudget Ruwaard 2027",
        "description": "Samen kiezen",
        "submission_opens_at": "2027-01-01T09:00",
        "review_opens_at": "2027-02-01T09:00",
        "voting_opens_at": "2027-03-01T09:00",
        "voting_closes_at": "2027-03-21T18:00",
        "results_at": "2027-03-28T12:00",
        "ballot_type": "approval",
        "min_choices": "1",
        "max_choices": "3",
        "rule": "greedy",
        "tie_break": "cheaper",
        "min_age": "12",
        "identification": "both",
        "residence_required": "y",
        "own_area_only": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture()
def staff(db):
    district = make_district(name="Ruwaard")
    other = make_district(name="Lith")
    people = {
        "admin": make_user(role=Role.ADMIN),
        "coordinator": make_user(role=Role.COORDINATOR, coordinated_areas=[district]),
        "other_coordinator": make_user(role=Role.COORDINATOR, coordinated_areas=[other]),
        "reviewer": make_user(role=Role.REVIEWER),
        "resident": make_user(),
        "district": district,
        "other": other,
    }
    db.session.commit()
    return people


def test_create_a_round_and_add_areas(client, db, login, staff):
    login(staff["coordinator"])
    response = client.post("/beheer/rondes/nieuw", data=_form())
    assert response.status_code == 302
    round_ = db.session.scalar(select(BudgetRound))
    assert round_.voting_opens_at.hour == 8  # 09:00 in Amsterdam is 08:00 UTC in winter
    assert "meeste stemmen" in round_.rule_explanation
    bad = client.post(
        f"/beheer/rondes/{round_.id}/gebieden",
        data={"area_id": staff["district"].id, "budget": "-5"},
    )
    assert bad.status_code == 422 and "negatief" in bad.get_data(as_text=True)
    foreign = client.post(
        f"/beheer/rondes/{round_.id}/gebieden",
        data={"area_id": staff["other"].id, "budget": "5000"},
    )
    assert foreign.status_code == 422
    ok = client.post(
        f"/beheer/rondes/{round_.id}/gebieden",
        data={"area_id": staff["district"].id, "budget": "25.000,00"},
    )
    assert ok.status_code == 302
    assert db.session.scalar(select(RoundArea)).budget_cents == 2_500_000
    assert (
        db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.area_added"))
        is not None
    )
    login(staff["other_coordinator"])
    assert client.get(f"/beheer/rondes/{round_.id}").status_code == 403


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Geef de ronde een naam."),
        ({"voting_closes_at": "2027-02-15T09:00"}, "Zet de datums in volgorde"),
        ({"voting_opens_at": "morgen"}, None),
        ({"max_choices": "0"}, "Gebruik een getal van 1 tot en met 100."),
        (
            {"min_choices": "4", "max_choices": "2"},
            "Het meeste kan niet minder zijn dan het minste.",
        ),
        (
            {"ballot_type": "cumulative", "cumulative_points": ""},
            "Vul het aantal punten per stemmer in.",
        ),
        ({"tie_break": "seed", "tie_seed": ""}, "Vul het getal voor het loten in."),
        ({"rule": "equal_shares", "threshold_percent": "10"}, "Een drempel kan alleen"),
        ({"ballot_type": "lottery"}, None),
        ({"min_age": "-3"}, "Gebruik een getal van 0 tot en met 120."),
        ({"allows_second_area": "y", "own_area_only": None}, "alleen als kiezers in hun eigen"),
        ({"allows_second_area": "y", "allow_ballot_changes": "y"}, "niet samen met het wijzigen"),
    ],
)
def test_bad_settings_are_refused_and_kept(client, db, login, staff, overrides, message):
    login(staff["admin"])
    response = client.post("/beheer/rondes/nieuw", data=_form(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    if message:
        assert message in page
    assert 'value="Buurtbudget Ruwaard 2027"' in page or overrides.get("name") == ""
    assert db.session.scalar(select(BudgetRound)) is None


def test_one_other_area_is_a_setting_shown_on_the_round_and_in_the_api(client, db, login, staff):
    login(staff["admin"])
    form = client.get("/beheer/rondes/nieuw").get_data(as_text=True)
    assert 'name="allows_second_area"' in form
    assert client.post("/beheer/rondes/nieuw", data=_form()).status_code == 302
    assert (
        client.post("/beheer/rondes/nieuw", data=_form(allows_second_area="y")).status_code == 302
    )
    off, on = db.session.scalars(select(BudgetRound).order_by(BudgetRound.id)).all()
    assert (off.allows_second_area, on.allows_second_area) == (False, True)
    assert "één ander gebied" in client.get(f"/rondes/{on.id}").get_data(as_text=True)
    assert "één ander gebied" not in client.get(f"/rondes/{off.id}").get_data(as_text=True)
    assert client.get(f"/api/v1/rounds/{on.id}").get_json()["data"]["allows_second_area"] is True


def test_ballot_takes_only_accepted_ideas_of_the_area(client, db, login, staff):
    buurt = make_neighbourhood(staff["district"], postcodes=())
    round_ = make_round([(staff["district"], 1_000_000)], phase="review")
    accepted = make_idea(
        buurt,
        title="Geaccepteerd",
        status=IdeaStatus.ACCEPTED,
        destination=Destination.BUDGET_ROUND,
    )
    submitted = make_idea(buurt, title="Nog in behandeling")
    elsewhere = make_idea(
        make_neighbourhood(staff["other"], postcodes=()),
        status=IdeaStatus.ACCEPTED,
        destination=Destination.BUDGET_ROUND,
    )
    db.session.commit()
    login(staff["admin"])
    page = client.get(f"/beheer/rondes/{round_.id}").get_data(as_text=True)
    assert "Geaccepteerd" in page and "Nog in behandeling" not in page
    ra = round_.areas[0]
    for idea in (submitted, elsewhere):
        client.post(
            f"/beheer/rondes/{round_.id}/gebieden/{ra.id}/ideeen", data={"idea_id": idea.id}
        )
    assert db.session.scalar(select(BallotItem)) is None
    client.post(
        f"/beheer/rondes/{round_.id}/gebieden/{ra.id}/ideeen", data={"idea_id": accepted.id}
    )
    item = db.session.scalar(select(BallotItem))
    assert item.idea_id == accepted.id and item.cost_cents == accepted.cost_cents
    assert (
        client.post(
            f"/beheer/rondes/{round_.id}/gebieden/{ra.id}/ideeen", data={"idea_id": "x"}
        ).status_code
        == 400
    )


def test_rules_and_ballot_are_locked_once_voting_starts(client, db, login, staff):
    round_ = make_round([(staff["district"], 1_000_000)], phase="voting")
    item = put_on_ballot(round_.areas[0], [1000])[0]
    db.session.commit()
    login(staff["admin"])
    page = client.get(f"/beheer/rondes/{round_.id}/bewerken").get_data(as_text=True)
    assert "Het stemmen is begonnen" in page
    local = {
        name: to_local(getattr(round_, name)).strftime("%Y-%m-%dT%H:%M")
        for name in ("submission_opens_at", "review_opens_at", "voting_opens_at")
    }
    data = _form(
        **local,
        voting_closes_at="2099-01-01T09:00",
        results_at="2099-02-01T09:00",
        ballot_type="knapsack",
    )
    response = client.post(f"/beheer/rondes/{round_.id}/bewerken", data=data)
    assert response.status_code == 422
    assert "dit kan niet meer veranderen" in response.get_data(as_text=True)
    db.session.refresh(round_)
    assert round_.ballot_type.value == "approval"
    later = _form(**{**data, "voting_opens_at": "2098-01-01T09:00", "ballot_type": "approval"})
    moved = client.post(f"/beheer/rondes/{round_.id}/bewerken", data=later)
    assert moved.status_code == 422
    db.session.refresh(round_)
    assert round_.voting_opens_at.year != 2098
    extended = client.post(
        f"/beheer/rondes/{round_.id}/bewerken", data={**data, "ballot_type": "approval"}
    )
    assert extended.status_code == 302
    db.session.refresh(round_)
    assert round_.voting_closes_at.year == 2099
    client.post(f"/beheer/rondes/{round_.id}/stembiljet/{item.id}/verwijderen")
    assert db.session.get(BallotItem, item.id) is not None
    client.post(
        f"/beheer/rondes/{round_.id}/gebieden", data={"area_id": staff["other"].id, "budget": "100"}
    )
    assert len(db.session.scalars(select(RoundArea)).all()) == 1


def test_only_administrators_close(client, db, login, staff):
    round_ = make_round([(staff["district"], 100_000)], phase="counting")
    db.session.commit()
    login(staff["coordinator"])
    assert client.get(f"/beheer/rondes/{round_.id}/sluiten").status_code == 403
    assert (
        client.post(f"/beheer/rondes/{round_.id}/sluiten", data={"confirm": "y"}).status_code == 403
    )


def test_removing_an_area_needs_a_confirmation(client, db, login, staff):
    round_ = make_round([(staff["district"], 100_000)], phase="review")
    db.session.commit()
    ra_id = round_.areas[0].id
    login(staff["admin"])
    client.post(f"/beheer/rondes/{round_.id}/gebieden/{ra_id}/verwijderen")
    assert db.session.get(RoundArea, ra_id) is not None
    client.post(f"/beheer/rondes/{round_.id}/gebieden/{ra_id}/verwijderen", data={"zeker": "ja"})
    assert db.session.get(RoundArea, ra_id) is None


def test_an_early_close_asks_for_the_reason_at_once(client, db, login, staff):
    round_ = make_round([(staff["district"], 100_000)], phase="voting")
    db.session.commit()
    login(staff["admin"])
    response = client.post(f"/beheer/rondes/{round_.id}/sluiten", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef een reden" in page and "Vink het vakje aan" in page
