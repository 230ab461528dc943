"""Factories that make valid objects for tests, one module per aggregate.

``make_user(**overrides)`` and friends: every made object is flushed, not committed.
The most used ones are importable from here.
"""

from tests.factories.areas import make_district, make_municipality, make_neighbourhood
from tests.factories.groups import make_group
from tests.factories.ideas import make_idea
from tests.factories.plans import make_indicator, make_plan
from tests.factories.users import PASSWORD, make_user

__all__ = [
    "PASSWORD",
    "make_district",
    "make_group",
    "make_idea",
    "make_indicator",
    "make_municipality",
    "make_neighbourhood",
    "make_plan",
    "make_user",
]
