"""Start and change a thematic group: the form, its checks and who may use it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from buurtbegroting.models import AuditEntry, MemberRole, PlanStatus, ThematicGroup
from tests.factories import make_group, make_plan, make_user


def _form(world, **overrides):
    data = {
        "name": "Groene Ruwaard",
        "area_id": str(world.buurt.id),
        "theme": str(world.plan.spearheads[0].id),
        "free_theme": "",
        "description": "Wij planten bomen.\nIedereen mag meedoen.",
        "end_date": "",
    }
    data.update(overrides)
    return data


def _group_count(db) -> int:
    return db.session.scalar(select(func.count(ThematicGroup.id)))


def test_anonymous_is_sent_to_login_for_a_new_group(client, world):
    response = client.get("/groepen/nieuw")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]
    response = client.post("/groepen/nieuw", data=_form(world))
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_form_offers_spearheads_of_adopted_plans_and_an_own_theme(client, login, world):
    login(world.resident)
    page = client.get("/groepen/nieuw").text
    assert "Groen en spelen" in page
    assert "Eenzaamheid" in page
    assert "Mijn eigen thema" in page
    assert f'<option selected value="{world.buurt.id}">' in page


def test_resident_starts_a_group_with_a_spearhead_and_becomes_coordinator(client, login, world, db):
    login(world.resident)
    response = client.post(
        "/groepen/nieuw",
        data=_form(world, end_date=(date.today() + timedelta(days=90)).isoformat()),
    )
    assert response.status_code == 302
    group = db.session.scalar(select(ThematicGroup))
    assert response.headers["Location"].endswith(f"/groepen/{group.id}")
    assert group.name == "Groene Ruwaard"
    assert group.area_id == world.buurt.id
    assert group.spearhead_id == world.plan.spearheads[0].id
    assert group.free_theme is None
    assert group.is_council is False
    assert [(m.user_id, m.role) for m in group.memberships] == [
        (world.resident.id, MemberRole.COORDINATOR)
    ]


def test_resident_starts_a_group_with_an_own_theme(client, login, world, db):
    login(world.resident)
    response = client.post(
        "/groepen/nieuw", data=_form(world, theme="free", free_theme="  Samen   koken  ")
    )
    assert response.status_code == 302
    group = db.session.scalar(select(ThematicGroup))
    assert group.spearhead_id is None
    assert group.free_theme == "Samen koken"


def test_end_date_typed_the_dutch_way_is_understood(client, login, world, db):
    login(world.resident)
    day = date.today() + timedelta(days=10)
    response = client.post("/groepen/nieuw", data=_form(world, end_date=day.strftime("%d-%m-%Y")))
    assert response.status_code == 302
    assert db.session.scalar(select(ThematicGroup.end_date)) == day


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Geef de groep een naam."),
        ({"name": "x" * 10_000}, "Gebruik hoogstens 120 tekens."),
        ({"description": "   "}, "Beschrijf wat de groep wil doen."),
        ({"area_id": ""}, "Kies een gebied uit de lijst."),
        ({"area_id": "999999"}, "Kies een gebied uit de lijst."),
        ({"area_id": "abc"}, "Kies een gebied uit de lijst."),
        ({"theme": "999999"}, "Kies een thema uit de lijst."),
        ({"theme": "free", "free_theme": ""}, "Beschrijf uw eigen thema in één zin."),
        ({"free_theme": "x" * 201, "theme": "free"}, "Gebruik hoogstens 200 tekens."),
        ({"end_date": "morgen"}, "Vul een datum in, zoals 31-12-2026."),
        ({"end_date": "2020-01-01"}, "De einddatum kan niet in het verleden liggen."),
    ],
)
def test_bad_input_is_refused_at_the_field_and_keeps_what_was_typed(
    client, login, world, db, overrides, message
):
    login(world.resident)
    data = _form(world, **overrides)
    response = client.post("/groepen/nieuw", data=data)
    assert response.status_code == 422
    page = response.text
    assert message in page
    assert 'class="error-summary"' in page
    assert 'aria-invalid="true"' in page
    assert _group_count(db) == 0
    # What was typed comes back (the long name too, so it can be shortened).
    assert f'value="{data["name"]}"' in page
    if "description" not in overrides:
        assert "Wij planten bomen." in page


def test_spearhead_of_another_areas_plan_is_refused(client, login, world, db):
    login(world.resident)
    far_spearhead = world.far_plan.spearheads[0]
    response = client.post("/groepen/nieuw", data=_form(world, theme=str(far_spearhead.id)))
    assert response.status_code == 422
    assert "Dit speerpunt hoort niet bij het gebiedsplan" in response.text
    assert 'id="theme-error"' in response.text
    assert _group_count(db) == 0


def test_spearhead_of_a_draft_or_replaced_plan_is_refused(client, login, world, db):
    draft = make_plan(
        world.district, spearheads=("Concept",), status=PlanStatus.DRAFT, adopted_on=None
    )
    db.session.commit()
    login(world.resident)
    response = client.post("/groepen/nieuw", data=_form(world, theme=str(draft.spearheads[0].id)))
    assert response.status_code == 422
    assert _group_count(db) == 0


def test_a_neighbourhood_uses_the_plan_of_its_district(client, login, world, db):
    login(world.resident)
    response = client.post(
        "/groepen/nieuw",
        data=_form(
            world, area_id=str(world.other_buurt.id), theme=str(world.plan.spearheads[1].id)
        ),
    )
    assert response.status_code == 302


def test_html_in_text_fields_is_shown_escaped(client, login, world, db):
    login(world.resident)
    script = "<script>alert(1)</script>"
    response = client.post(
        "/groepen/nieuw",
        data=_form(world, name=f"Groep {script}", description=f"Uitleg <b>vet</b> {script}"),
    )
    assert response.status_code == 302
    group = db.session.scalar(select(ThematicGroup))
    page = client.get(f"/groepen/{group.id}").text
    assert script not in page
    assert "<b>vet</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    listing = client.get("/groepen").text
    assert script not in listing


def test_html_in_a_refused_form_is_escaped_when_shown_again(client, login, world):
    login(world.resident)
    response = client.post(
        "/groepen/nieuw", data=_form(world, name='"><script>x()</script>', end_date="2000-01-01")
    )
    assert response.status_code == 422
    assert "<script>x()</script>" not in response.text


# --- edit ---------------------------------------------------------------------------------


def test_coordinator_changes_the_group(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident)
    db.session.commit()
    login(world.resident)
    page = client.get(f"/groepen/{group.id}/bewerken")
    assert page.status_code == 200
    assert group.name in page.text
    response = client.post(
        f"/groepen/{group.id}/bewerken",
        data=_form(world, name="Nieuwe naam", theme="free", free_theme="Koken"),
    )
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.name == "Nieuwe naam"
    assert group.free_theme == "Koken"
    # A coordinator's own change is not an administrative act.
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_plain_member_may_not_edit(client, login, world, db):
    member = make_user()
    group = make_group(world.buurt, members=[member])
    db.session.commit()
    login(member)
    assert client.get(f"/groepen/{group.id}/bewerken").status_code == 403
    assert client.post(f"/groepen/{group.id}/bewerken", data=_form(world)).status_code == 403


def test_stranger_may_not_edit_and_anonymous_goes_to_login(client, login, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    response = client.get(f"/groepen/{group.id}/bewerken")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    login(world.resident)
    assert client.get(f"/groepen/{group.id}/bewerken").status_code == 403
    db.session.refresh(group)
    assert group.name.startswith("Groep")


def test_area_coordinator_who_is_not_admin_may_not_edit(client, login, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    login(world.area_coordinator)
    assert client.get(f"/groepen/{group.id}/bewerken").status_code == 403


def test_admin_edits_any_group_and_the_change_is_audited(client, login, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    login(world.admin)
    response = client.post(
        f"/groepen/{group.id}/bewerken",
        data=_form(world, name="Door beheer", theme="free", free_theme="x"),
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "group.update"
    assert entry.after["name"] == "Door beheer"


def test_edit_missing_group_is_404(client, login, world):
    login(world.admin)
    assert client.get("/groepen/12345/bewerken").status_code == 404


def test_stored_end_date_in_the_past_may_stay_when_editing(client, login, world, db):
    past = date.today() - timedelta(days=5)
    group = make_group(world.buurt, coordinator=world.resident, end_date=past)
    db.session.commit()
    login(world.resident)
    response = client.post(
        f"/groepen/{group.id}/bewerken",
        data=_form(world, theme="free", free_theme="x", end_date=past.isoformat()),
    )
    assert response.status_code == 302
    response = client.post(
        f"/groepen/{group.id}/bewerken",
        data=_form(
            world, theme="free", free_theme="x", end_date=(past - timedelta(days=1)).isoformat()
        ),
    )
    assert response.status_code == 422


def test_unchanged_spearhead_of_an_older_plan_stays_valid(client, login, world, db):
    old = world.plan.spearheads[0]
    group = make_group(world.buurt, coordinator=world.resident, spearhead=old, free_theme=None)
    # A newer plan replaces the one the group chose its spearhead from.
    make_plan(
        world.district,
        spearheads=("Nieuw",),
        period_start=world.plan.period_start + timedelta(days=1),
        period_end=world.plan.period_end,
    )
    db.session.commit()
    login(world.resident)
    page = client.get(f"/groepen/{group.id}/bewerken").text
    assert f'<option selected value="{old.id}">' in page
    response = client.post(f"/groepen/{group.id}/bewerken", data=_form(world, theme=str(old.id)))
    assert response.status_code == 302


def test_council_area_cannot_be_moved(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident, is_council=True)
    db.session.commit()
    login(world.resident)
    response = client.post(
        f"/groepen/{group.id}/bewerken",
        data=_form(world, area_id=str(world.other_buurt.id), theme="free", free_theme="x"),
    )
    assert response.status_code == 422
    assert "Het gebied kan daarom niet veranderen" in response.text
    db.session.refresh(group)
    assert group.area_id == world.buurt.id
