"""Fixtures for the argument tests: an idea in review, its writer and two other residents."""

import pytest

from buurtbegroting.domain.arguments import ArgumentSide
from buurtbegroting.models import Argument, IdeaStatus
from tests.factories import make_idea, make_user


@pytest.fixture()
def debate(db, people):
    """An idea in the coordinator's district, with residents Anna (author of an argument) and Bram."""
    idea = make_idea(people["neighbourhood"], status=IdeaStatus.IN_REVIEW, title="Bankjes")
    anna = make_user(area=people["neighbourhood"], display_name="Anna", locale="nl")
    bram = make_user(area=people["neighbourhood"], display_name="Bram")
    argument = Argument(
        idea=idea, author_id=anna.id, side=ArgumentSide.FOR, body="Fijn voor ouderen."
    )
    db.session.add(argument)
    db.session.commit()
    return {"idea": idea, "anna": anna, "bram": bram, "argument": argument, **people}
