"""Reading the area tree: one place for every capability that lists or walks areas.

The walks themselves are pure functions in :mod:`buurtbegroting.domain.areas`; this
module gives them the tree from the database in one query.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from buurtbegroting.domain import areas as tree
from buurtbegroting.extensions import db
from buurtbegroting.models import Area, AreaLevel


def edges() -> list[tuple[int, int | None]]:
    """Return (id, parent id) of every area (one query)."""
    return [(row[0], row[1]) for row in db.session.execute(select(Area.id, Area.parent_id))]


def subtree_ids(area_ids) -> set[int]:
    """Return the ids of the given area(s) and of every area below them."""
    return tree.subtree_ids(area_ids, edges())


def subtree_select(area_id: int) -> Select:
    """Return a SELECT of the area's id and the ids below it, for use inside a query.

    The tree has three levels (municipality, district, neighbourhood), so two steps
    down reach every area below.
    """
    parent = select(Area.id).where(Area.parent_id == area_id)
    return select(Area.id).where(
        or_(Area.id == area_id, Area.id.in_(parent), Area.parent_id.in_(parent))
    )


def selectable_areas() -> list[Area]:
    """Return the districts and neighbourhoods in code order (what ideas and groups can be for)."""
    return list(
        db.session.scalars(
            select(Area).where(Area.level != AreaLevel.MUNICIPALITY).order_by(Area.code)
        )
    )


def areas_of_level(level: AreaLevel) -> list[Area]:
    """Return the areas of one level in code order."""
    return list(db.session.scalars(select(Area).where(Area.level == level).order_by(Area.code)))
