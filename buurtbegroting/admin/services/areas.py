"""The area tree, the postcode mapping and the area-monitor figures, as the administration reads them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.areas import areas_of_level
from buurtbegroting.domain import DomainError
from buurtbegroting.domain.areas import expected_parent_level
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    AreaLevel,
    Indicator,
    Postcode,
    User,
)


class WrongParent(DomainError):
    """The chosen parent is not of the level the area needs."""


def area_tree() -> tuple[list[Area], list[Area]]:
    """Return the municipalities (children loaded) and areas that hang loose in the tree."""
    areas = db.session.scalars(
        select(Area).order_by(Area.code).options(selectinload(Area.children))
    ).all()
    roots = [a for a in areas if a.level == AreaLevel.MUNICIPALITY]
    loose = [a for a in areas if a.level != AreaLevel.MUNICIPALITY and a.parent_id is None]
    return roots, loose


def parent_choices(area: Area) -> list[Area]:
    """Return the areas that may be the parent of ``area`` (of the level above it)."""
    wanted = expected_parent_level(area.level.value)
    if wanted is None:
        return []
    return areas_of_level(AreaLevel(wanted))


def _area_state(area: Area) -> dict[str, Any]:
    return {"name": area.name, "parent": area.parent.code if area.parent else None}


def update_area(area: Area, name: str, parent: Area | None, actor: User) -> None:
    """Change the name and parent of an area; the parent must be one level up."""
    wanted = expected_parent_level(area.level.value)
    if (wanted is None and parent is not None) or (
        wanted is not None and (parent is None or parent.level.value != wanted)
    ):
        raise WrongParent(area.code)
    before = _area_state(area)
    area.name = name
    area.parent = parent
    db.session.flush()
    old, new = audit.changes(before, _area_state(area))
    if new:
        audit.record(actor, "area.update", area, summary=area.code, before=old, after=new)


def postcode_query(search: str = ""):
    """Return a select of postcode mappings, filtered by postcode, area code or area name."""
    query = select(Postcode).join(Postcode.area).options(selectinload(Postcode.area))
    term = search.strip()
    if term:
        compact = term.replace(" ", "").upper()
        query = query.where(
            or_(
                Postcode.postcode.startswith(compact, autoescape=True),
                Area.code == compact,
                func.lower(Area.name).contains(term.lower(), autoescape=True),
            )
        )
    return query.order_by(Postcode.postcode)


def indicator_query(area_id: int | None = None, year: int | None = None):
    """Return a select of indicators, optionally for one area and one year."""
    query = (
        select(Indicator)
        .join(Indicator.area)
        .options(selectinload(Indicator.area))
        .order_by(Indicator.year.desc(), Area.code, Indicator.name)
    )
    if area_id is not None:
        query = query.where(Indicator.area_id == area_id)
    if year is not None:
        query = query.where(Indicator.year == year)
    return query


def indicator_years() -> list[int]:
    """Return the years that have indicators, newest first."""
    return list(
        db.session.scalars(select(Indicator.year).distinct().order_by(Indicator.year.desc()))
    )


def areas_with_indicators() -> list[Area]:
    """Return the areas that have indicators, in code order."""
    return list(
        db.session.scalars(
            select(Area).where(Area.id.in_(select(Indicator.area_id))).order_by(Area.code)
        )
    )
