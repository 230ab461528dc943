"""Fixtures of the thematic-group tests: an area with an adopted plan, and a few people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from buurtbegroting.models import Area, AreaPlan, Role, User
from tests.factories import make_district, make_neighbourhood, make_plan, make_user


@dataclass
class World:
    """A district with two neighbourhoods and a plan, another district with its own plan."""

    district: Area
    buurt: Area
    other_buurt: Area
    plan: AreaPlan
    far_district: Area
    far_plan: AreaPlan
    resident: User
    admin: User
    area_coordinator: User
    far_coordinator: User


@pytest.fixture()
def world(db) -> World:
    """Make the areas, plans and people most tests need, committed."""
    district = make_district(name="Schadewijk")
    buurt = make_neighbourhood(district, postcodes=("5341",), name="Ruwaard")
    other_buurt = make_neighbourhood(district, postcodes=("5342",), name="Oostwijk")
    # Plans that run now, whatever the date the tests run on.
    period = {
        "period_start": date.today() - timedelta(days=30),
        "period_end": date.today() + timedelta(days=365),
    }
    plan = make_plan(district, spearheads=("Groen en spelen", "Verkeersveiligheid"), **period)
    far_district = make_district(name="Berghem")
    far_plan = make_plan(far_district, spearheads=("Eenzaamheid",), **period)
    w = World(
        district=district,
        buurt=buurt,
        other_buurt=other_buurt,
        plan=plan,
        far_district=far_district,
        far_plan=far_plan,
        resident=make_user(area=buurt, display_name="Anna de Vries"),
        admin=make_user(role=Role.ADMIN, display_name="Beheerder"),
        area_coordinator=make_user(
            role=Role.COORDINATOR, coordinated_areas=[district], display_name="Wijkcoördinator"
        ),
        far_coordinator=make_user(
            role=Role.COORDINATOR, coordinated_areas=[far_district], display_name="Ver weg"
        ),
    )
    db.session.commit()
    return w
