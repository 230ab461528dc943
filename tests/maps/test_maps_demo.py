"""The demo's invented boundaries: valid, around Oss, neighbourhoods inside their districts."""

from __future__ import annotations

import json

from sqlalchemy import select

from buurtbegroting.domain import boundaries, geo
from buurtbegroting.models import Area, Idea
from demo.boundaries import district_shapes, feature_collection


def test_demo_boundaries_pass_the_import_checks_and_lie_around_oss():
    found, errors = boundaries.parse(json.dumps(feature_collection()).encode())
    assert errors == [] and len(found) == len(district_shapes())
    min_lon, min_lat, max_lon, max_lat = geo.bbox([b.shape for b in found])
    assert 51.70 < min_lat < 51.765 < max_lat < 51.85
    assert 5.40 < min_lon < 5.52 < max_lon < 5.70


def test_each_demo_neighbourhood_lies_in_its_district():
    shapes = {code: geo.shape_of(g) for code, g in district_shapes().items()}
    for code, shape in shapes.items():
        if code.startswith("BU"):
            lon, lat = geo.centre(shape)
            assert geo.contains(shape, lon, lat), code
            assert geo.contains(shapes["WK" + code[2:8]], lon, lat), code
            assert geo.contains(shapes["GM0828"], lon, lat), code


def test_loaded_demo_areas_have_boundaries_and_idea_spots_lie_in_their_area(runner, db):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    stored = db.session.execute(select(Area.code, Area.boundary)).all()
    assert stored and all(boundary for _, boundary in stored)
    shapes = {code: geo.shape_of(json.loads(boundary)) for code, boundary in stored}
    located = db.session.scalars(select(Idea).where(Idea.latitude.is_not(None))).all()
    assert len(located) >= 5
    for idea in located:
        assert geo.contains(shapes[idea.area.code], idea.longitude, idea.latitude), idea.title
