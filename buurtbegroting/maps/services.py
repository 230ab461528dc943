"""What a map shows: an area's boundary, its sub-areas and a numbered marker per idea.

Every map is built in a fixed number of queries (the boundaries are deferred columns,
read here in one query per map) and drawn by ``templates/macros/map.html``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app, url_for
from flask_babel import _
from sqlalchemy import select

from buurtbegroting.domain import geo
from buurtbegroting.extensions import db
from buurtbegroting.maps.config import tiles
from buurtbegroting.models import Area, AreaLevel, Idea

#: Width of the SVG drawing in its own units; it scales to the width of the page.
WIDTH = 600


@dataclass(frozen=True)
class Region:
    """A sub-area drawn on the map."""

    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Marker:
    """A numbered idea on the map; the list next to the map has the same number."""

    number: int
    title: str
    url: str
    x: float
    y: float
    lat: float
    lon: float


@dataclass
class MapView:
    """Everything the map macro draws, and the data the map script reads."""

    key: str
    title: str
    description: str
    width: float
    height: float
    outline: str = ""
    regions: list[Region] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    #: The area's name when the map is a spot picker (the form has the fields).
    picker: bool = False
    data: dict = field(default_factory=dict)


def shape_of(boundary: str | None) -> geo.Shape | None:
    """Return the shape of a stored boundary, or None when there is none (or it is unreadable)."""
    return _parsed(boundary) if boundary else None


@lru_cache(maxsize=512)
def _parsed(boundary: str) -> geo.Shape | None:
    # Stored boundaries were checked on import; parsing them is the cost, so it is kept.
    try:
        return geo.shape_of(json.loads(boundary), crossings=False)
    except (ValueError, geo.GeometryProblem):
        return None


def _boundaries(area: Area) -> tuple[geo.Shape | None, list[tuple[Area, geo.Shape]]]:
    rows = db.session.execute(
        select(Area, Area.boundary).where((Area.id == area.id) | (Area.parent_id == area.id))
    ).all()
    own = next((shape_of(b) for a, b in rows if a.id == area.id), None)
    children = sorted(
        ((a, s) for a, b in rows if a.id != area.id and (s := shape_of(b)) is not None),
        key=lambda pair: pair[0].code,
    )
    return own, children


def _located(ideas) -> list[Idea]:
    return [i for i in ideas if i.latitude is not None and i.longitude is not None]


def build(area: Area, ideas=(), *, key: str = "map", picker: bool = False) -> MapView | None:
    """Return the map of an area with its sub-areas and the located ideas, or None when empty."""
    own, children = _boundaries(area)
    located = _located(ideas)
    shapes = ([own] if own else []) + [s for _, s in children]
    box = geo.bbox(shapes, [(i.longitude, i.latitude) for i in located])
    if box is None or (not shapes and not picker and not located):
        return None
    if not shapes:
        # Only markers: give the view some room around them (about 500 m).
        box = (box[0] - 0.007, box[1] - 0.0045, box[2] + 0.007, box[3] + 0.0045)
    view_port = geo.Viewport.fit(box, width=WIDTH)
    markers = []
    for number, idea in enumerate(located, start=1):
        x, y = view_port.point(idea.longitude, idea.latitude)
        markers.append(
            Marker(
                number=number,
                title=idea.title,
                url=url_for("ideas.show", idea_id=idea.id),
                x=x,
                y=y,
                lat=idea.latitude,
                lon=idea.longitude,
            )
        )
    regions = [Region(a.code, a.name, view_port.path(s)) for a, s in children]
    view = MapView(
        key=key,
        title=_("Map of %(area)s", area=area.name),
        description=_description(area, regions, markers, picker),
        width=view_port.width,
        height=view_port.height,
        outline=view_port.path(own) if own else "",
        regions=regions,
        markers=markers,
        picker=picker,
    )
    # The map script reads the shapes and markers from the SVG itself and projects them
    # back with these numbers, so the page carries each boundary once.
    view.data = {
        "title": view.title,
        "bbox": list(box),
        "view": [view_port.min_x, view_port.max_y, view_port.scale, view_port.margin],
        "tiles": tiles(current_app.config),
    }
    return view


def _description(area: Area, regions: list[Region], markers: list[Marker], picker: bool) -> str:
    parts = []
    if regions:
        parts.append(
            _(
                "The map shows the boundary of %(area)s and its parts: %(names)s.",
                area=area.name,
                names=", ".join(r.name for r in regions),
            )
        )
    else:
        parts.append(_("The map shows the boundary of %(area)s.", area=area.name))
    if markers and not picker:
        parts.append(
            _(
                "%(count)d ideas are marked with a number. The list with the map has the same numbers.",
                count=len(markers),
            )
        )
    return " ".join(parts)


def municipality() -> Area | None:
    """Return the municipality (the root of the area tree)."""
    return db.session.scalar(
        select(Area).where(Area.level == AreaLevel.MUNICIPALITY).order_by(Area.id).limit(1)
    )


def ideas_map(area_id: int | None, ideas) -> MapView | None:
    """Return the map of a list of ideas: the chosen area, or the whole municipality."""
    area = db.session.get(Area, area_id) if area_id else municipality()
    return build(area, ideas, key="ideas-map") if area is not None else None


def idea_map(idea: Idea) -> MapView | None:
    """Return the map of one idea: its area and its spot (None when neither is known)."""
    return build(idea.area, [idea], key="idea-map")


def area_map(area: Area) -> MapView | None:
    """Return the map of an area with the located public ideas in it (at most 50, newest first)."""
    from buurtbegroting.ideas.services import search

    located = search(area_id=area.id, located=True, per_page=50).items
    return build(area, located, key="area-map")


def spot_outside(area: Area, latitude: float, longitude: float) -> bool:
    """Tell whether a spot lies outside the area.

    The nearest boundary decides: the area's own, else that of the district or the
    municipality it belongs to; with no boundary known at all every spot is accepted.
    """
    chain = [area, *area.ancestors()]
    stored = dict(
        db.session.execute(
            select(Area.id, Area.boundary).where(Area.id.in_([a.id for a in chain]))
        ).all()
    )
    for link in chain:
        shape = shape_of(stored.get(link.id))
        if shape is not None:
            return not geo.contains(shape, longitude, latitude)
    return False
