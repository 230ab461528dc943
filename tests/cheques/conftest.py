"""Fixtures of the cheque tests."""

import pytest

from buurtbegroting.models import Role
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.cheques import issue, make_campaign, make_collecting_idea


@pytest.fixture()
def world(db):
    """A district with two neighbourhoods, people in every role, a campaign with codes, an initiative."""
    district = make_district(name="Ruwaard")
    east = make_neighbourhood(district, name="Ruwaard-Oost", postcodes=("5344",))
    west = make_neighbourhood(district, name="Ruwaard-West", postcodes=("5345",))
    elsewhere = make_district(name="Lith")
    campaign = make_campaign(count=20)
    codes = issue(campaign)
    idea = make_collecting_idea(target_cents=3_000, area=east)
    people = {
        "admin": make_user(role=Role.ADMIN),
        "reviewer": make_user(role=Role.REVIEWER),
        "coordinator": make_user(role=Role.COORDINATOR, coordinated_areas=[district]),
        "other_coordinator": make_user(role=Role.COORDINATOR, coordinated_areas=[elsewhere]),
        "resident": make_user(area=west),
    }
    db.session.commit()
    return {
        "district": district,
        "east": east,
        "west": west,
        "campaign": campaign,
        "codes": codes,
        "idea": idea,
        **people,
    }
