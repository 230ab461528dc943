"""The cheque lists run a fixed number of queries: 5 items cost as many statements as 50."""

from __future__ import annotations

from buurtbegroting.models import Role
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.cheques import issue, make_campaign, make_collecting_idea


def _statements(client, count_queries, path):
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def _campaigns(db, n):
    for i in range(n):
        issue(make_campaign(count=2, name=f"Campagne {i}"))
    db.session.commit()


def _initiatives(db, area, n, start):
    for i in range(n):
        make_collecting_idea(area=area, title=f"Initiatief {start + i}")
    db.session.commit()


def test_campaign_list_costs_the_same_for_5_and_50_campaigns(client, db, login, count_queries):
    login(make_user(role=Role.ADMIN))
    _campaigns(db, 5)
    five = _statements(client, count_queries, "/beheer/cheques/")
    _campaigns(db, 45)
    assert _statements(client, count_queries, "/beheer/cheques/") == five


def test_initiatives_list_costs_the_same_for_5_and_50(client, db, login, count_queries):
    district = make_district()
    area = make_neighbourhood(district, postcodes=())
    login(make_user(role=Role.COORDINATOR, coordinated_areas=[district]))
    _initiatives(db, area, 5, 0)
    five = _statements(client, count_queries, "/beheer/cheques/initiatieven")
    _initiatives(db, area, 45, 5)
    assert _statements(client, count_queries, "/beheer/cheques/initiatieven") == five


def test_choosing_an_initiative_costs_the_same_for_5_and_50(client, db, count_queries):
    area = make_neighbourhood(postcodes=())
    codes = issue(make_campaign(count=1))
    _initiatives(db, area, 5, 0)

    def choose():
        with count_queries() as statements:
            response = client.post(
                "/cheques/inwisselen", data={"codes-0": codes[0], "actie": "kies"}
            )
        assert response.status_code in (200, 422)
        assert "Initiatief 1" in response.get_data(as_text=True)
        return len(statements)

    five = choose()
    _initiatives(db, area, 45, 5)
    assert choose() == five
