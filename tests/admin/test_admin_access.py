"""Who may open which administration page: a walk over every route of the blueprint."""

import pytest

from buurtbegroting import audit
from buurtbegroting.extensions import db as _db
from buurtbegroting.models import OutboxMessage, PlanStatus, Role
from tests.factories import make_district, make_neighbourhood, make_plan, make_user

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture()
def world(db):
    """One object of every kind a route can point at; returns the values for URL converters."""
    district = make_district(name="Ruwaard")
    make_neighbourhood(district, name="Ruwaard-Oost")
    plan = make_plan(district, status=PlanStatus.DRAFT, adopted_on=None, decision_reference=None)
    other = make_user(display_name="Iemand")
    entry = audit.record(other, "area.update", district, before={"name": "a"}, after={"name": "b"})
    message = OutboxMessage(recipient="a@example.nl", subject="Hallo", body="Tekst")
    db.session.add(message)
    db.session.commit()
    return {
        "area_id": district.id,
        "plan_id": plan.id,
        "spearhead_id": plan.spearheads[0].id,
        "user_id": other.id,
        "entry_id": entry.id,
        "message_id": message.id,
        "direction": "omhoog",
    }


def admin_routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")]


def url_for_rule(rule, values):
    path = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name]
        placeholder = f"<{name}>" if f"<{name}>" in path else None
        if placeholder is None:
            placeholder = next(
                p for p in path.split("/") if p.startswith("<") and p.endswith(f":{name}>")
            )
        value = values.get(name, 1 if converter.__class__.__name__ == "IntegerConverter" else "x")
        path = path.replace(placeholder, str(value))
    return path


def requests_for(app, values):
    for rule in admin_routes(app):
        for method in sorted(rule.methods - {"OPTIONS"}):
            yield rule, method, url_for_rule(rule, values)


def test_the_walk_covers_every_admin_route(app):
    endpoints = {rule.endpoint for rule in admin_routes(app)}
    assert len(endpoints) >= 20
    assert {"admin.index", "admin.audit_log", "admin.outbox", "admin.import_postcodes"} <= endpoints


def test_blocked_administrator_is_treated_as_anonymous(app, client, login, world):
    login(make_user(role=Role.ADMIN, is_active=False))
    _db.session.commit()
    response = client.get("/beheer/gebieden")
    assert response.status_code == 302


def test_reviewer_may_open_only_the_index(app, client, login, world):
    login(make_user(role=Role.REVIEWER))
    _db.session.commit()
    for rule, method, path in requests_for(app, world):
        response = client.open(path, method=method)
        expected = 200 if rule.endpoint == "admin.index" else 403
        assert response.status_code == expected, (method, path)


def test_index_links_only_to_sections_of_the_role(client, login, db):
    district = make_district()
    coordinator = make_user(role=Role.COORDINATOR, coordinated_areas=[district])
    db.session.commit()
    login(coordinator)
    page = client.get("/beheer/").get_data(as_text=True)
    assert "/beheer/gebiedsplannen" in page
    assert "/beheer/gebruikers" not in page
    assert "/beheer/logboek" not in page
    assert "/beheer/gebieden" not in page.replace("/beheer/gebiedsplannen", "")


def test_index_links_to_every_section_for_an_administrator(client, admin):
    page = client.get("/beheer/").get_data(as_text=True)
    for path in (
        "/beheer/gebieden",
        "/beheer/postcodes",
        "/beheer/gebiedsplannen",
        "/beheer/indicatoren",
        "/beheer/gebruikers",
        "/beheer/logboek",
        "/beheer/uitgaande-mail",
    ):
        assert path in page
    assert "Gebieden" in page and "Logboek" in page


def test_every_admin_page_opens_for_an_administrator(app, client, admin, world):
    for rule, method, path in requests_for(app, world):
        if method in ("GET", "HEAD"):
            response = client.open(path, method=method)
            # A draft plan cannot be set back to draft: that page sends you to the plan.
            expected = 302 if rule.endpoint == "admin.plan_to_draft" else 200
            assert response.status_code == expected, path
            if method == "GET":
                page = response.get_data(as_text=True)
                assert 'style="' not in page and "<script" not in page, path


def test_post_without_csrf_token_is_refused(csrf_app, client, admin, world, count):
    from buurtbegroting.models import Area

    before = count(Area)
    response = client.post(
        f"/beheer/gebieden/{world['area_id']}/bewerken", data={"name": "Gekaapt", "parent_id": ""}
    )
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)
    assert count(Area) == before
    assert _db.session.get(Area, world["area_id"]).name == "Ruwaard"


def test_forms_carry_a_csrf_token(csrf_app, client, admin, world):
    page = client.get(f"/beheer/gebieden/{world['area_id']}/bewerken").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_audit_log_has_no_route_that_changes_it(app):
    for rule in admin_routes(app):
        if "audit" in rule.endpoint or "logboek" in rule.rule:
            assert not set(WRITE_METHODS) & rule.methods, rule


def test_audit_log_refuses_every_write_method(app, client, admin, world, count):
    from buurtbegroting.models import AuditEntry

    before = count(AuditEntry)
    for path in ("/beheer/logboek", f"/beheer/logboek/{world['entry_id']}"):
        for method in WRITE_METHODS:
            response = client.open(path, method=method, data={"action": "x"})
            assert response.status_code == 405, (method, path)
    assert count(AuditEntry) == before
    entry = _db.session.get(AuditEntry, world["entry_id"])
    assert entry.after == {"name": "b"}
