"""Fixtures for the accountability tests: areas, people in every role, a funded idea."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from buurtbegroting.models import Role
from tests.factories import make_district, make_group, make_neighbourhood, make_plan, make_user
from tests.factories.accountability import funded_idea


@dataclass
class World:
    district: object
    buurt: object
    other_district: object
    plan: object
    author: object
    group_coordinator: object
    stranger: object
    coordinator: object
    other_coordinator: object
    reviewer: object
    admin: object
    idea: object
    funding: object


@pytest.fixture()
def world(db):
    """A district with a neighbourhood, an idea funded there, and people in every role."""
    district = make_district(name="Ruwaard")
    buurt = make_neighbourhood(district, name="Ruwaard-Oost", postcodes=("5344",))
    other_district = make_district(name="Schadewijk")
    plan = make_plan(district, spearheads=("Groen en spelen", "Ontmoeten"))
    author = make_user(area=buurt, display_name="Anna Auteur", email="anna@example.nl")
    group_coordinator = make_user(display_name="Gijs Groep", email="gijs@example.nl")
    group = make_group(district, coordinator=group_coordinator)
    idea, funding = funded_idea(
        buurt, author, group=group, spearheads=[plan.spearheads[0]], title="Speeltuin opknappen"
    )
    world = World(
        district=district,
        buurt=buurt,
        other_district=other_district,
        plan=plan,
        author=author,
        group_coordinator=group_coordinator,
        stranger=make_user(display_name="Sam Vreemd"),
        coordinator=make_user(role=Role.COORDINATOR, coordinated_areas=[district]),
        other_coordinator=make_user(role=Role.COORDINATOR, coordinated_areas=[other_district]),
        reviewer=make_user(role=Role.REVIEWER),
        admin=make_user(role=Role.ADMIN),
        idea=idea,
        funding=funding,
    )
    db.session.commit()
    return world
