"""Area plans and spearheads: scope of coordinators, editing, order, adoption and back to draft."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from buurtbegroting.extensions import db as _db
from buurtbegroting.models import AreaPlan, AuditEntry, PlanStatus, Role, Spearhead
from tests.factories import make_district, make_neighbourhood, make_plan, make_user


def draft(area, **overrides):
    return make_plan(
        area, status=PlanStatus.DRAFT, adopted_on=None, decision_reference=None, **overrides
    )


def reload(plan_id):
    _db.session.expire_all()
    return _db.session.get(AreaPlan, plan_id)


def entries(action):
    _db.session.expire_all()
    return list(_db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture()
def scope(db, login):
    """A coordinator of Ruwaard (with a neighbourhood), and a plan elsewhere."""
    ruwaard = make_district(code="WK082803", name="Ruwaard")
    oost = make_neighbourhood(ruwaard, code="BU08280300", name="Ruwaard-Oost", postcodes=())
    elsewhere = make_district(code="WK082805", name="Schadewijk")
    own_plan = draft(oost, title="Plan Oost")
    other_plan = draft(elsewhere, title="Plan Schadewijk")
    coordinator = make_user(role=Role.COORDINATOR, coordinated_areas=[ruwaard])
    db.session.commit()
    login(coordinator)
    return {
        "ruwaard": ruwaard.id,
        "oost": oost.id,
        "elsewhere": elsewhere.id,
        "own": own_plan.id,
        "other": other_plan.id,
        "other_spearhead": other_plan.spearheads[0].id,
    }


def plan_data(area_id, **overrides):
    data = {
        "area_id": area_id,
        "title": "Samen sterker",
        "summary": "Wat we willen.",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
    }
    data.update(overrides)
    return data


def test_coordinator_sees_only_plans_of_own_areas(client, scope):
    page = client.get("/beheer/gebiedsplannen").get_data(as_text=True)
    assert "Plan Oost" in page and "Plan Schadewijk" not in page


def test_coordinator_is_refused_plans_outside_own_areas(client, scope):
    other = scope["other"]
    assert client.get(f"/beheer/gebiedsplannen/{other}").status_code == 403
    for path in (
        f"/beheer/gebiedsplannen/{other}/bewerken",
        f"/beheer/gebiedsplannen/{other}/vaststellen",
        f"/beheer/gebiedsplannen/{other}/speerpunten/nieuw",
        f"/beheer/speerpunten/{scope['other_spearhead']}/bewerken",
        f"/beheer/speerpunten/{scope['other_spearhead']}/verwijderen",
    ):
        assert client.get(path).status_code == 403, path
        assert client.post(path, data={"title": "x"}).status_code == 403, path
    move = f"/beheer/speerpunten/{scope['other_spearhead']}/verplaatsen/omlaag"
    assert client.post(move).status_code == 403
    assert reload(other).title == "Plan Schadewijk"


def test_coordinator_is_refused_admin_only_sections(client, scope):
    for path in (
        "/beheer/gebieden",
        "/beheer/postcodes",
        "/beheer/indicatoren",
        "/beheer/gebruikers",
    ):
        assert client.get(path).status_code == 403, path


def test_coordinator_creates_a_plan_for_a_managed_area_only(client, scope, count):
    page = client.get("/beheer/gebiedsplannen/nieuw").get_data(as_text=True)
    assert "Ruwaard-Oost (BU08280300)" in page and "Schadewijk" not in page
    refused = client.post("/beheer/gebiedsplannen/nieuw", data=plan_data(scope["elsewhere"]))
    assert refused.status_code == 422
    assert "Kies een gebied uit de lijst." in refused.get_data(as_text=True)
    assert count(AreaPlan) == 2
    response = client.post("/beheer/gebiedsplannen/nieuw", data=plan_data(scope["ruwaard"]))
    assert response.status_code == 302
    plan = _db.session.scalar(select(AreaPlan).where(AreaPlan.title == "Samen sterker"))
    assert plan.status == PlanStatus.DRAFT and plan.area_id == scope["ruwaard"]
    [entry] = entries("plan.create")
    assert entry.after["title"] == "Samen sterker" and entry.after["area"] == "WK082803"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"period_end": "2025-12-31"}, "De einddatum kan niet voor de begindatum liggen."),
        ({"period_start": "morgen"}, "Vul een datum in, zoals 31-12-2026."),
        ({"period_start": ""}, "Vul een begindatum in."),
        ({"title": ""}, "Vul een titel in."),
        ({"title": "x" * 10000}, "Gebruik hoogstens 200 tekens."),
        ({"area_id": ""}, "Kies een gebied."),
        ({"area_id": "abc"}, "Kies een gebied uit de lijst."),
    ],
)
def test_bad_plan_input_keeps_what_was_typed(client, scope, count, overrides, message):
    data = plan_data(scope["ruwaard"], summary="Mijn tekst")
    data.update(overrides)
    response = client.post("/beheer/gebiedsplannen/nieuw", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Mijn tekst" in page
    assert count(AreaPlan) == 2


def test_dates_may_be_typed_the_dutch_way(client, scope):
    data = plan_data(scope["ruwaard"], period_start="01-02-2026", period_end="31-12-2026")
    assert client.post("/beheer/gebiedsplannen/nieuw", data=data).status_code == 302
    plan = _db.session.scalar(select(AreaPlan).where(AreaPlan.title == "Samen sterker"))
    assert plan.period_start == date(2026, 2, 1)


def test_edit_plan_is_audited_with_before_and_after(client, scope):
    own = scope["own"]
    data = plan_data(None, title="Plan Oost 2.0")
    del data["area_id"]
    response = client.post(f"/beheer/gebiedsplannen/{own}/bewerken", data=data)
    assert response.status_code == 302
    assert reload(own).title == "Plan Oost 2.0"
    [entry] = entries("plan.update")
    assert entry.before["title"] == "Plan Oost" and entry.after["title"] == "Plan Oost 2.0"


def test_spearheads_add_edit_reorder_delete(client, scope):
    own = scope["own"]
    response = client.post(
        f"/beheer/gebiedsplannen/{own}/speerpunten/nieuw",
        data={"title": "Eenzaamheid", "description": "Samen eten"},
    )
    assert response.status_code == 302
    titles = [s.title for s in reload(own).spearheads]
    assert titles == ["Groen en spelen", "Verkeersveiligheid", "Eenzaamheid"]
    last = reload(own).spearheads[-1]
    last_id = last.id
    assert client.post(f"/beheer/speerpunten/{last_id}/verplaatsen/omhoog").status_code == 302
    assert client.post(f"/beheer/speerpunten/{last_id}/verplaatsen/omhoog").status_code == 302
    titles = [s.title for s in reload(own).spearheads]
    assert titles == ["Eenzaamheid", "Groen en spelen", "Verkeersveiligheid"]
    # Moving the first one up changes nothing.
    assert client.post(f"/beheer/speerpunten/{last_id}/verplaatsen/omhoog").status_code == 302
    assert [s.position for s in reload(own).spearheads] == [0, 1, 2]
    assert client.post(f"/beheer/speerpunten/{last_id}/verplaatsen/opzij").status_code == 404

    response = client.post(
        f"/beheer/speerpunten/{last_id}/bewerken",
        data={"title": "Minder eenzaam", "description": ""},
    )
    assert response.status_code == 302
    assert reload(own).spearheads[0].title == "Minder eenzaam"

    confirm = client.get(f"/beheer/speerpunten/{last_id}/verwijderen").get_data(as_text=True)
    assert "Minder eenzaam" in confirm
    assert client.post(f"/beheer/speerpunten/{last_id}/verwijderen").status_code == 302
    plan = reload(own)
    assert [s.title for s in plan.spearheads] == ["Groen en spelen", "Verkeersveiligheid"]
    assert [s.position for s in plan.spearheads] == [0, 1]
    assert _db.session.get(Spearhead, last_id) is None
    for action in ("spearhead.create", "spearhead.move", "spearhead.update", "spearhead.delete"):
        assert entries(action), action
    [moved, *_rest] = entries("spearhead.move")
    assert moved.before["order"][-1] == "Eenzaamheid" and moved.after["order"][1] == "Eenzaamheid"
    [deleted] = entries("spearhead.delete")
    assert deleted.before["title"] == "Minder eenzaam"


def test_bad_spearhead_input_is_explained(client, scope):
    own = scope["own"]
    response = client.post(
        f"/beheer/gebiedsplannen/{own}/speerpunten/nieuw",
        data={"title": "", "description": "Mijn uitleg"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vul een titel in." in page and "Mijn uitleg" in page
    assert len(reload(own).spearheads) == 2


def test_adopt_needs_date_and_reference(client, scope):
    own = scope["own"]
    response = client.post(f"/beheer/gebiedsplannen/{own}/vaststellen", data={})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vul de datum in waarop het plan is vastgesteld." in page
    assert "Vul het kenmerk van het besluit in." in page
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(
        f"/beheer/gebiedsplannen/{own}/vaststellen",
        data={"adopted_on": future, "decision_reference": "B&W 2026-7"},
    )
    assert response.status_code == 422
    assert "kan niet in de toekomst liggen" in response.get_data(as_text=True)
    assert reload(own).status == PlanStatus.DRAFT
    assert entries("plan.adopt") == []


def test_adopt_and_back_to_draft_with_reason(client, scope):
    own = scope["own"]
    response = client.post(
        f"/beheer/gebiedsplannen/{own}/vaststellen",
        data={"adopted_on": "2026-01-15", "decision_reference": "B&W 2026-7"},
    )
    assert response.status_code == 302
    plan = reload(own)
    assert plan.is_adopted and plan.adopted_on == date(2026, 1, 15)
    [adopted] = entries("plan.adopt")
    assert adopted.before["status"] == "draft" and adopted.after["status"] == "adopted"
    assert adopted.after["decision_reference"] == "B&W 2026-7"

    # An adopted plan is read-only.
    response = client.post(f"/beheer/gebiedsplannen/{own}/bewerken", data=plan_data(None))
    assert response.status_code == 302
    assert reload(own).title == "Plan Oost"
    response = client.post(f"/beheer/gebiedsplannen/{own}/speerpunten/nieuw", data={"title": "x"})
    assert response.status_code == 302 and len(reload(own).spearheads) == 2

    refused = client.post(f"/beheer/gebiedsplannen/{own}/concept", data={"reason": ""})
    assert refused.status_code == 422
    assert "Schrijf op waarom het plan terug gaat naar concept." in refused.get_data(as_text=True)
    assert reload(own).is_adopted

    response = client.post(
        f"/beheer/gebiedsplannen/{own}/concept", data={"reason": "Raad wil wijziging"}
    )
    assert response.status_code == 302
    plan = reload(own)
    assert plan.status == PlanStatus.DRAFT and plan.adopted_on is None
    [back] = entries("plan.to_draft")
    assert back.after["reason"] == "Raad wil wijziging"
    assert back.before == {
        "status": "adopted",
        "adopted_on": "2026-01-15",
        "decision_reference": "B&W 2026-7",
    }


def test_plan_without_spearheads_cannot_be_adopted(client, db, scope):
    plan = draft(_db.session.get(type(reload(scope["own"]).area), scope["oost"]), spearheads=())
    db.session.commit()
    response = client.post(
        f"/beheer/gebiedsplannen/{plan.id}/vaststellen",
        data={"adopted_on": "2026-01-15", "decision_reference": "B&W 2026-7"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Voeg minstens één speerpunt toe" in page
    assert 'value="B&amp;W 2026-7"' in page
    assert not reload(plan.id).is_adopted


def test_administrator_sees_and_edits_every_plan(client, db, admin):
    plan = draft(make_district(name="Elders"), title="Plan Elders")
    db.session.commit()
    assert "Plan Elders" in client.get("/beheer/gebiedsplannen").get_data(as_text=True)
    assert client.get(f"/beheer/gebiedsplannen/{plan.id}/bewerken").status_code == 200
