"""Area plans with spearheads, and indicators of the area monitor."""

from __future__ import annotations

from datetime import date

from buurtbegroting.extensions import db
from buurtbegroting.models import Area, AreaPlan, Indicator, PlanStatus, Spearhead
from tests.factories.areas import make_district


def make_plan(
    area: Area | None = None, spearheads=("Groen en spelen", "Verkeersveiligheid"), **overrides
) -> AreaPlan:
    """Make an adopted plan for 2026-2027 with spearheads."""
    area = area or make_district()
    fields = {
        "title": f"Gebiedsplan {area.name}",
        "summary": "Samen aan de slag.",
        "period_start": date(2026, 1, 1),
        "period_end": date(2027, 12, 31),
        "status": PlanStatus.ADOPTED,
        "adopted_on": date(2025, 12, 1),
        "decision_reference": "B&W 2025-1",
    }
    fields.update(overrides)
    plan = AreaPlan(area=area, **fields)
    plan.spearheads = [
        Spearhead(title=t, description="", position=i) for i, t in enumerate(spearheads)
    ]
    db.session.add(plan)
    db.session.flush()
    return plan


def make_indicator(area: Area, **overrides) -> Indicator:
    """Make an indicator of the area monitor."""
    fields = {
        "name": "Zich eenzaam voelen",
        "value": 48.0,
        "unit": "%",
        "municipal_average": 44.0,
        "year": 2025,
        "source": "Wijkmonitor",
    }
    fields.update(overrides)
    ind = Indicator(area=area, **fields)
    db.session.add(ind)
    db.session.flush()
    return ind
