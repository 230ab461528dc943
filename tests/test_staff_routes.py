"""Every staff route is guarded once, by its blueprint: anonymous → login, refused role → 403.

The walk finds the staff blueprints by the guard that ``permissions.guard_blueprint``
leaves on them, so a new staff blueprint is walked without changing this test.
"""

from __future__ import annotations

import pytest

STAFF_BLUEPRINTS = {
    "admin",
    "review",
    "rounds_admin",
    "round_codes",
    "cheques.admin",
    "accountability.manage",
    "jobs",
    "follows.newsletter",
    "arguments.moderation",
}


def _guarded(app):
    return {name: bp for name, bp in app.blueprints.items() if hasattr(bp, "guard_rule")}


def _path(rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        values[name] = 1 if converter == "IntegerConverter" else "x"
    return rule.build(values, append_unknown=False)[1]


def _staff_requests(app):
    guarded = _guarded(app)
    for rule in app.url_map.iter_rules():
        name = rule.endpoint.rsplit(".", 1)[0]
        if name in guarded:
            for method in sorted(rule.methods - {"OPTIONS", "HEAD"}):
                yield guarded[name], rule, method, _path(rule)


def test_the_staff_blueprints_are_the_guarded_ones(app):
    assert set(_guarded(app)) == STAFF_BLUEPRINTS
    walked = {rule.endpoint.rsplit(".", 1)[0] for _bp, rule, _m, _p in _staff_requests(app)}
    assert walked == STAFF_BLUEPRINTS
    assert len(list(_staff_requests(app))) >= 80


def test_anonymous_visitor_is_sent_to_login_on_every_staff_route(app, client):
    for _bp, _rule, method, path in _staff_requests(app):
        response = client.open(path, method=method)
        assert response.status_code == 302, (method, path)
        assert "/inloggen" in response.headers["Location"], (method, path)


def test_resident_is_refused_on_every_staff_route(app, client, login, people):
    login(people["resident"])
    for _bp, _rule, method, path in _staff_requests(app):
        assert client.open(path, method=method).status_code == 403, (method, path)


@pytest.mark.parametrize("role", ["reviewer", "coordinator", "admin"])
def test_staff_are_refused_exactly_where_their_blueprints_guard_says(
    app, client, login, people, role
):
    user = login(people[role])
    refused = 0
    for bp, rule, method, path in _staff_requests(app):
        check = bp.guard_endpoint_rules.get(rule.endpoint, bp.guard_rule)
        status = client.open(path, method=method).status_code
        if not check(user):
            refused += 1
            assert status == 403, (role, method, path)
        elif method == "GET" and rule.endpoint.endswith(".index"):
            # The start page of a staff area opens for everyone its guard lets in.
            assert status == 200, (role, method, path, status)
    if role == "admin":
        assert refused == 0
    else:
        assert refused > 0
