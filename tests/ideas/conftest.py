"""Fixtures for the idea tests: an area with an adopted plan and a resident."""

import pytest

from tests.factories import make_district, make_neighbourhood, make_plan, make_user


@pytest.fixture()
def place(db):
    """A district with an adopted plan, a neighbourhood in it, and a resident living there."""
    district = make_district(name="Ruwaard")
    buurt = make_neighbourhood(district, name="Ruwaard-Oost", postcodes=("5344",))
    plan = make_plan(district, spearheads=("Groen en spelen", "Ontmoeten"))
    resident = make_user(area=buurt, postcode="5344", display_name="Anna")
    db.session.commit()
    return {
        "district": district,
        "buurt": buurt,
        "plan": plan,
        "resident": resident,
        "spearheads": plan.spearheads,
    }
