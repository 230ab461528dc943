"""The accountability lists run a fixed number of queries: 5 funded ideas cost as many as 50."""

from __future__ import annotations

import pytest

from buurtbegroting.models import Role
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.accountability import funded_idea


def _fund(db, area, author, n, start):
    for i in range(n):
        funded_idea(area, author, title=f"Idee {start + i}")
    db.session.commit()


@pytest.mark.parametrize(
    "path",
    ["/verantwoording", "/verantwoording/gebied/WK000001", "/dashboard", "/beheer/verantwoording/"],
)
def test_accountability_lists_cost_the_same_for_5_and_50_funded_ideas(
    client, db, login, count_queries, path
):
    district = make_district(name="Ruwaard", code="WK000001")
    area = make_neighbourhood(district, postcodes=())
    author = make_user(area=area)
    login(make_user(role=Role.COORDINATOR, coordinated_areas=[district]))

    def statements():
        with count_queries() as sent:
            response = client.get(path)
        assert response.status_code == 200, path
        assert "Idee 1" in response.get_data(as_text=True) or path == "/dashboard"
        return len(sent)

    _fund(db, area, author, 5, 0)
    five = statements()
    _fund(db, area, author, 45, 5)
    assert statements() == five
