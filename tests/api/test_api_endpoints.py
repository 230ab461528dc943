"""The open-data API: every endpoint, no personal data, pagination, errors, OpenAPI, constant SQL."""

import json
from datetime import UTC, datetime

import pytest

from buurtbegroting.api.routes import ROUTES
from buurtbegroting.models import IdeaStatus
from tests.factories import make_idea
from tests.factories.world import SECRETS, build_world
from tests.querycount import count_statements

FORBIDDEN_KEYS = {
    "email",
    "bank_account",
    "iban",
    "receipt",
    "receipt_filename",
    "password_hash",
    "author",
    "code_hash",
    "display_name",
}


@pytest.fixture()
def world(db):
    return build_world()


def api_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")]


def concrete_urls(app, world):
    values = {"idea_id": world["idea"].id, "round_id": world["round"].id}
    urls = []
    for rule in api_rules(app):
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(values[name]))
        urls.append(path)
    return urls


def _keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v)


def test_every_endpoint_answers_json_without_personal_data(app, client, world, db):
    # Published results, so the round's result is in the answer too.
    world["round"].closed_at = world["round"].published_at = datetime.now(UTC)
    db.session.commit()
    urls = concrete_urls(app, world)
    assert len(urls) >= 13
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "application/json", url
        text = response.get_data(as_text=True)
        for name, secret in SECRETS.items():
            assert secret.lower() not in text.lower(), (url, name)
        assert "@" not in text, url
        if url.endswith("openapi.json"):
            continue
        keys = set(_keys(response.get_json()))
        assert not keys & FORBIDDEN_KEYS, (url, keys & FORBIDDEN_KEYS)


def test_openapi_document_describes_every_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    documented = set(document["paths"])
    for rule in api_rules(app):
        path = rule.rule.removeprefix("/api/v1")
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", "{" + name + "}")
        assert path in documented, path
    assert len(documented) == len(api_rules(app))
    assert len(ROUTES) + 1 == len(documented)


def test_list_answers_have_the_paging_envelope(client, world, db):
    for i in range(5):
        make_idea(world["buurt"], status=IdeaStatus.SUBMITTED, title=f"Extra {i}")
    db.session.commit()
    first = client.get("/api/v1/ideas?per_page=3").get_json()
    assert set(first) == {"data", "page", "per_page", "total", "next"}
    assert first["total"] == 7  # 2 world ideas in public statuses + 5, never the draft
    assert (
        len(first["data"]) == 3
        and first["next"].endswith("page=2&per_page=3")
        or "page=2" in first["next"]
    )
    last = client.get("/api/v1/ideas?per_page=3&page=3").get_json()
    assert len(last["data"]) == 1 and last["next"] is None
    beyond = client.get("/api/v1/ideas?page=99").get_json()
    assert beyond["data"] == [] and beyond["next"] is None


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ideas?per_page=101",
        "/api/v1/ideas?per_page=0",
        "/api/v1/ideas?page=-1",
        "/api/v1/ideas?page=abc",
        "/api/v1/ideas?status=draft",
        "/api/v1/ideas?area=XX999",
        "/api/v1/areas?per_page=1e9",
    ],
)
def test_bad_parameters_give_a_json_400(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_private_and_missing_objects_give_a_json_404(client, world, db):
    draft = make_idea(world["buurt"], status=IdeaStatus.DRAFT)
    db.session.commit()
    for url in (
        f"/api/v1/ideas/{draft.id}",
        "/api/v1/ideas/999999",
        "/api/v1/rounds/999",
        f"/api/v1/accountability/{world['cheque_idea'].id}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == "application/json"


def test_round_results_only_after_closing_and_publishing(client, world, db):
    url = f"/api/v1/rounds/{world['round'].id}"
    data = client.get(url).get_json()["data"]
    assert data["results_published"] is False
    assert "result" not in data["areas"][0]
    assert data["areas"][0]["budget_cents"] == 1_000_000
    world["round"].closed_at = datetime.now(UTC)
    db.session.commit()
    assert "result" not in client.get(url).get_json()["data"]["areas"][0]
    world["round"].published_at = datetime.now(UTC)
    db.session.commit()
    result = client.get(url).get_json()["data"]["areas"][0]["result"]
    assert result["selected"] == [world["idea"].id]
    assert result["explanation"] == "Meeste stemmen"
    assert result["funded"] == [{"idea_id": world["idea"].id, "amount_cents": 125_050}]
    assert "voters" not in result


def test_cheque_statistics(client, world):
    [campaign] = client.get("/api/v1/cheque-campaigns").get_json()["data"]
    assert campaign["cheques_issued"] == 3
    assert campaign["cheques_redeemed"] == 1
    assert campaign["redeemed_cents"] == 750
    assert campaign["initiatives"] == [
        {
            "idea_id": world["cheque_idea"].id,
            "title": world["cheque_idea"].title,
            "cheques": 1,
            "collected_cents": 750,
        }
    ]


def test_accountability_shows_budget_and_spent_but_no_receipts(client, world):
    [row] = client.get("/api/v1/accountability").get_json()["data"]
    assert row["amount_cents"] == 125_050 and row["spent_cents"] == 2_000
    item = client.get(f"/api/v1/accountability/{world['idea'].id}").get_json()["data"]
    assert item["expenses"] == [
        {"description": "Verf", "amount_cents": 2000, "spent_on": "2026-03-01"}
    ]
    assert item["report"] is None
    assert item["milestones"][0]["title"] == "Verven"


def _more(world, db, n):
    from buurtbegroting.accountability.services import fund_idea
    from buurtbegroting.models import Expense, FundingSource, Milestone, Support

    for i in range(n):
        idea = make_idea(world["buurt"], status=IdeaStatus.ACCEPTED)
        funding = fund_idea(idea, source=FundingSource.CHEQUES, amount_cents=1000 + i, actor=None)
        db.session.add(
            Expense(
                funding=funding,
                description="x",
                amount_cents=10,
                spent_on=world["round"].results_at.date(),
            )
        )
        db.session.add(
            Milestone(funding=funding, title="m", planned_on=world["round"].results_at.date())
        )
        db.session.add(Support(idea_id=idea.id, user_id=idea.author_id))
    db.session.commit()


def _count(client, db, url):
    with count_statements(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def test_every_endpoint_runs_a_constant_number_of_statements_for_5_and_50_ideas(
    app, client, world, db
):
    world["round"].closed_at = world["round"].published_at = datetime.now(UTC)
    db.session.commit()
    _more(world, db, 3)  # 5 ideas in all
    urls = [
        u + ("?per_page=100" if "{" not in u and not u.endswith(".json") else "")
        for u in concrete_urls(app, world)
    ]
    small = {url: _count(client, db, url) for url in urls}
    _more(world, db, 45)
    large = {url: _count(client, db, url) for url in urls}
    assert small == large
    data = client.get("/api/v1/ideas?per_page=100").get_json()
    assert data["total"] == 50


def test_answers_are_cacheable_open_data(client, world):
    response = client.get("/api/v1/areas")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.data)["data"][0]["code"]
