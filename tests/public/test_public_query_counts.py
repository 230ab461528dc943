"""The public lists send as many statements for 5 rows as for 50."""

from __future__ import annotations

from buurtbegroting.models import Area, AreaLevel
from tests.factories import make_indicator, make_municipality


def _district_with_neighbourhood(db, i: int) -> Area:
    district = Area(
        code=f"WK08{i:04d}", name=f"Wijk {i}", level=AreaLevel.DISTRICT, parent=make_municipality()
    )
    db.session.add(district)
    db.session.add(
        Area(
            code=f"BU08{i:04d}01", name=f"Buurt {i}", level=AreaLevel.NEIGHBOURHOOD, parent=district
        )
    )
    return district


def _counts(client, db, count_queries, url, fill):
    fill(0, 5)
    db.session.commit()
    assert client.get(url).status_code == 200
    db.session.expire_all()
    with count_queries() as five:
        assert client.get(url).status_code == 200
    fill(5, 50)
    db.session.commit()
    db.session.expire_all()
    with count_queries() as fifty:
        assert client.get(url).status_code == 200
    return five, fifty


def test_the_area_list_needs_as_many_statements_for_50_districts_as_for_5(
    client, db, count_queries
):
    def fill(start, stop):
        for i in range(start, stop):
            _district_with_neighbourhood(db, i)

    five, fifty = _counts(client, db, count_queries, "/gebieden", fill)
    assert len(fifty) == len(five), "\n".join(fifty)


def test_an_area_page_needs_as_many_statements_for_50_figures_as_for_5(client, db, count_queries):
    district = _district_with_neighbourhood(db, 9999)
    db.session.flush()

    def fill(start, stop):
        for i in range(start, stop):
            make_indicator(district, name=f"Cijfer {i}")

    five, fifty = _counts(client, db, count_queries, f"/gebied/{district.code}", fill)
    assert len(fifty) == len(five), "\n".join(fifty)
