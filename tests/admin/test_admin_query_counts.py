"""Every administration list and the review queue send as many statements for 5 rows as for 50."""

from __future__ import annotations

import pytest

from buurtbegroting import audit
from buurtbegroting.models import Area, AreaLevel, OutboxMessage, Postcode, Role
from tests.factories import make_idea, make_indicator, make_municipality, make_plan, make_user


def _district(i: int) -> Area:
    area = Area(
        code=f"WK08{i:04d}", name=f"Wijk {i}", level=AreaLevel.DISTRICT, parent=make_municipality()
    )
    return area


def _neighbourhood(i: int) -> Area:
    district = _district(i)
    return Area(
        code=f"BU08{i:04d}01", name=f"Buurt {i}", level=AreaLevel.NEIGHBOURHOOD, parent=district
    )


def _users(db, start, stop):
    for i in range(start, stop):
        area = _district(i)
        db.session.add(area)
        make_user(role=Role.COORDINATOR, coordinated_areas=[area], email=f"coord{i}@oss.nl")


def _audit(db, start, stop):
    actor = make_user(role=Role.ADMIN, email="logger@oss.nl") if start == 0 else None
    for i in range(start, stop):
        audit.record(actor, "area.update", object_type="area", object_id=i, summary=f"Gebied {i}")


def _outbox(db, start, stop):
    for i in range(start, stop):
        db.session.add(
            OutboxMessage(recipient=f"r{i}@oss.nl", subject=f"Bericht {i}", body="Hallo")
        )


def _plans(db, start, stop):
    for i in range(start, stop):
        area = _district(i)
        db.session.add(area)
        db.session.flush()
        make_plan(area)


def _postcodes(db, start, stop):
    for i in range(start, stop):
        area = _neighbourhood(i)
        db.session.add(area)
        db.session.add(Postcode(postcode=f"5{i:03d}", area=area))


def _indicators(db, start, stop):
    for i in range(start, stop):
        area = _district(i)
        db.session.add(area)
        db.session.flush()
        make_indicator(area, name=f"Cijfer {i}")


def _areas(db, start, stop):
    for i in range(start, stop):
        db.session.add(_neighbourhood(i))


def _queue(db, start, stop):
    for i in range(start, stop):
        area = _neighbourhood(i)
        db.session.add(area)
        db.session.flush()
        make_idea(area, author=make_user(area=area))


LISTS = {
    "/beheer/gebruikers": _users,
    "/beheer/logboek": _audit,
    "/beheer/uitgaande-mail": _outbox,
    "/beheer/gebiedsplannen": _plans,
    "/beheer/postcodes": _postcodes,
    "/beheer/indicatoren": _indicators,
    "/beheer/gebieden": _areas,
    "/beheer/beoordelen/": _queue,
}


@pytest.mark.parametrize("url", list(LISTS))
def test_a_list_of_50_needs_as_many_statements_as_a_list_of_5(
    url, client, db, admin, count_queries
):
    fill = LISTS[url]
    fill(db, 0, 5)
    db.session.commit()
    assert client.get(url).status_code == 200
    db.session.expire_all()
    with count_queries() as five:
        assert client.get(url).status_code == 200
    fill(db, 5, 50)
    db.session.commit()
    db.session.expire_all()
    with count_queries() as fifty:
        page = client.get(url)
    assert page.status_code == 200
    assert len(fifty) == len(five), "\n".join(fifty)
