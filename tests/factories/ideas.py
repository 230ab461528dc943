"""Ideas with cost lines."""

from __future__ import annotations

from buurtbegroting.extensions import db
from buurtbegroting.models import Area, User
from tests.factories.areas import make_neighbourhood
from tests.factories.sequence import seq as _seq
from tests.factories.users import make_user


def make_idea(
    area: Area | None = None,
    author: User | None = None,
    costs=(("Materiaal", 125_050),),
    **overrides,
):
    """Make an idea (submitted by default) with cost lines; spearheads via overrides."""
    from buurtbegroting.models import CostLine, Idea, IdeaStatus

    area = area or make_neighbourhood(postcodes=())
    author = author or make_user(area=area)
    n = next(_seq)
    fields = {
        "title": f"Idee {n}",
        "summary": "Een korte samenvatting.",
        "description": "Meer uitleg.",
        "status": IdeaStatus.SUBMITTED,
    }
    fields.update(overrides)
    idea = Idea(area=area, author=author, **fields)
    idea.cost_lines = [
        CostLine(item=item, amount_cents=cents, position=i) for i, (item, cents) in enumerate(costs)
    ]
    db.session.add(idea)
    db.session.flush()
    return idea
