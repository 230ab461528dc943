"""Read-side services of the public pages: areas, plans, indicators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from buurtbegroting.domain.areas import normalize_postcode
from buurtbegroting.domain.csv_import import IndicatorFigure
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.models import Area, AreaLevel, AreaPlan, Indicator, PlanStatus, Postcode


def find_area_by_postcode(text: str) -> Area | None:
    """Return the neighbourhood of a postcode (PC6 first, then its PC4), or None.

    Raises InvalidPostcode when the text is not a postcode at all.
    """
    postcode = normalize_postcode(text)
    candidates = [postcode] if len(postcode) == 4 else [postcode, postcode[:4]]
    rows = db.session.execute(
        select(Postcode)
        .where(Postcode.postcode.in_(candidates))
        .options(selectinload(Postcode.area))
    ).scalars()
    by_code = {row.postcode: row.area for row in rows}
    for candidate in candidates:
        if candidate in by_code:
            return by_code[candidate]
    return None


def municipality() -> Area | None:
    """Return the municipality at the root of the area tree."""
    return db.session.scalars(
        select(Area).where(Area.level == AreaLevel.MUNICIPALITY).order_by(Area.code)
    ).first()


def districts_with_neighbourhoods() -> list[Area]:
    """Return the districts in code order, their neighbourhoods loaded."""
    return list(
        db.session.scalars(
            select(Area)
            .where(Area.level == AreaLevel.DISTRICT)
            .order_by(Area.code)
            .options(selectinload(Area.children))
        )
    )


def current_plan(area: Area, today: date | None = None) -> AreaPlan | None:
    """Return the adopted plan that applies to the area now: its own, or that of the nearest area above it."""
    today = today or today_nl()
    chain = [area, *area.ancestors()]
    plans = db.session.scalars(
        select(AreaPlan)
        .where(AreaPlan.area_id.in_([a.id for a in chain]), AreaPlan.status == PlanStatus.ADOPTED)
        .options(selectinload(AreaPlan.spearheads))
        .order_by(AreaPlan.period_start.desc())
    ).all()
    for candidate_area in chain:
        own = [p for p in plans if p.area_id == candidate_area.id]
        running = [p for p in own if p.period_start <= today <= p.period_end]
        if running or own:
            return (running or own)[0]
    return None


@dataclass
class IndicatorView(IndicatorFigure):
    """An indicator as the area page shows it, with the name of the area it belongs to."""

    area_name: str


def indicators_for(area: Area) -> list[IndicatorView]:
    """Return the latest indicators of the area, or of the nearest area above it that has some."""
    for candidate in [area, *area.ancestors()]:
        rows = db.session.scalars(
            select(Indicator)
            .where(Indicator.area_id == candidate.id)
            .order_by(Indicator.year.desc(), Indicator.id)
        ).all()
        if rows:
            latest = rows[0].year
            return [
                IndicatorView(
                    r.name, r.value, r.unit, r.municipal_average, r.year, r.source, candidate.name
                )
                for r in rows
                if r.year == latest
            ]
    return []
