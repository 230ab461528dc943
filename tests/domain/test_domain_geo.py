"""Pure geometry: ring checks, point in polygon, bounding boxes and the map projection."""

from __future__ import annotations

import math

import pytest

from buurtbegroting.domain import geo

SQUARE = [[5.50, 51.75], [5.54, 51.75], [5.54, 51.78], [5.50, 51.78], [5.50, 51.75]]
HOLE = [[5.51, 51.76], [5.52, 51.76], [5.52, 51.77], [5.51, 51.77], [5.51, 51.76]]


def problem(geometry) -> str:
    with pytest.raises(geo.GeometryProblem) as caught:
        geo.shape_of(geometry)
    return caught.value.code


def test_polygon_becomes_a_shape_of_one_polygon_with_its_rings():
    shape = geo.shape_of({"type": "Polygon", "coordinates": [SQUARE, HOLE]})
    assert len(shape) == 1 and len(shape[0]) == 2
    assert shape[0][0][0] == (5.5, 51.75)


def test_multipolygon_keeps_every_polygon_and_round_trips_to_geojson():
    other = [[5.60, 51.80], [5.61, 51.80], [5.61, 51.81], [5.60, 51.80]]
    geometry = {"type": "MultiPolygon", "coordinates": [[SQUARE], [other]]}
    shape = geo.shape_of(geometry)
    assert len(shape) == 2
    assert geo.as_geojson(shape) == geometry
    assert geo.as_geojson(shape[:1]) == {"type": "Polygon", "coordinates": [SQUARE]}


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        ({"type": "Point", "coordinates": [5.5, 51.7]}, "not_polygon"),
        ({"type": "LineString", "coordinates": SQUARE}, "not_polygon"),
        (None, "no_geometry"),
        ("Polygon", "no_geometry"),
        ({"type": "Polygon", "coordinates": []}, "bad_coordinates"),
        ({"type": "Polygon", "coordinates": "5.5 51.7"}, "bad_coordinates"),
        (
            {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [2, 2], ["a", "b"]]]},
            "bad_coordinates",
        ),
        (
            {"type": "Polygon", "coordinates": [[[True, 1], [1, 2], [2, 2], [True, 1]]]},
            "bad_coordinates",
        ),
        ({"type": "Polygon", "coordinates": [[[5.5], [1, 2], [2, 2], [5.5]]]}, "bad_coordinates"),
        (
            {"type": "Polygon", "coordinates": [[[5.5, 51.7], [5.6, 51.7], [5.5, 51.7]]]},
            "ring_too_short",
        ),
        ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "ring_not_closed"),
        (
            {"type": "Polygon", "coordinates": [[[200, 51], [201, 51], [201, 52], [200, 51]]]},
            "out_of_range",
        ),
        (
            {"type": "Polygon", "coordinates": [[[5, 95], [6, 95], [6, 96], [5, 95]]]},
            "out_of_range",
        ),
        (
            {"type": "Polygon", "coordinates": [[[float("nan"), 1], [1, 2], [2, 2], [1, 1]]]},
            "bad_coordinates",
        ),
    ],
)
def test_geometries_that_are_no_usable_polygon_are_refused_with_a_reason(geometry, code):
    assert problem(geometry) == code


def test_a_bow_tie_ring_crosses_itself():
    bow_tie = [[5.50, 51.75], [5.54, 51.78], [5.54, 51.75], [5.50, 51.78], [5.50, 51.75]]
    assert problem({"type": "Polygon", "coordinates": [bow_tie]}) == "ring_self_intersects"
    assert not geo.self_intersects([tuple(p) for p in SQUARE])


def test_rd_new_coordinates_are_recognised_as_such():
    # Oss town hall in Rijksdriehoek coordinates (about x 161 km, y 421 km).
    ring = [[161000, 421000], [162000, 421000], [162000, 422000], [161000, 421000]]
    assert problem({"type": "Polygon", "coordinates": [ring]}) == "rd_new"
    assert geo.looks_like_rd_new(161000, 421000)
    assert not geo.looks_like_rd_new(5.52, 51.765)


def test_point_in_polygon_respects_holes_and_every_part():
    shape = geo.shape_of({"type": "Polygon", "coordinates": [SQUARE, HOLE]})
    assert geo.contains(shape, 5.505, 51.755)
    assert not geo.contains(shape, 5.515, 51.765)  # in the hole
    assert not geo.contains(shape, 5.60, 51.765)
    other = geo.shape_of({"type": "Polygon", "coordinates": [SQUARE]})
    assert geo.contains(other + shape, 5.515, 51.765)  # the second polygon covers the hole


def test_bounding_box_and_centre_cover_shapes_and_points():
    shape = geo.shape_of({"type": "Polygon", "coordinates": [SQUARE]})
    assert geo.bbox([shape]) == (5.5, 51.75, 5.54, 51.78)
    assert geo.bbox([shape], [(5.6, 51.7)]) == (5.5, 51.7, 5.6, 51.78)
    assert geo.bbox([]) is None
    assert geo.centre(shape) == pytest.approx((5.52, 51.765))


def test_mercator_matches_the_web_map_projection():
    assert geo.mercator(0, 0) == pytest.approx((0.0, 0.0), abs=1e-6)
    x, y = geo.mercator(5.52, 51.765)
    assert x == pytest.approx(614_483.6, abs=1.0)
    assert y == pytest.approx(6_757_745.5, abs=1.0)
    assert math.isfinite(geo.mercator(0, 90)[1])


def test_viewport_fits_the_box_keeps_the_aspect_and_turns_north_up():
    shape = geo.shape_of({"type": "Polygon", "coordinates": [SQUARE]})
    view = geo.Viewport.fit(geo.bbox([shape]), width=600, margin=10, max_height=2000)
    assert view.width == 600
    west_south = view.point(5.50, 51.75)
    east_north = view.point(5.54, 51.78)
    assert west_south[0] == pytest.approx(10, abs=0.2)
    assert east_north[0] == pytest.approx(590, abs=0.2)
    assert east_north[1] == pytest.approx(10, abs=0.2)  # north is at the top
    assert west_south[1] == pytest.approx(view.height - 10, abs=0.2)
    # On Mercator a degree of latitude here is about 1.6 degrees of longitude.
    assert view.height - 20 == pytest.approx(580 * 0.03 / 0.04 * 1.61, rel=0.02)


def test_viewport_of_a_tall_area_is_capped_in_height_and_centred():
    box = (5.50, 51.70, 5.51, 51.80)
    view = geo.Viewport.fit(box, width=600, margin=10, max_height=400)
    assert view.height == pytest.approx(400, abs=0.2)
    left, _ = view.point(5.50, 51.75)
    right, _ = view.point(5.51, 51.75)
    assert left + right == pytest.approx(600, abs=0.5)


def test_svg_path_draws_each_ring_once_closed():
    shape = geo.shape_of({"type": "Polygon", "coordinates": [SQUARE, HOLE]})
    view = geo.Viewport.fit(geo.bbox([shape]))
    path = view.path(shape)
    assert path.count("M") == 2 and path.count("Z") == 2
    assert path.count("L") == 6  # four corners a ring: the closing point is the Z


def test_simplify_drops_invisible_detail_and_keeps_rings_valid():
    # A square edge with a 1 m bump (kept out) and a 100 m bump (kept in).
    ring = [
        [5.50, 51.75],
        [5.52, 51.75],
        [5.52001, 51.750005],
        [5.53, 51.75],
        [5.535, 51.751],
        [5.54, 51.75],
        [5.54, 51.78],
        [5.50, 51.78],
        [5.50, 51.75],
    ]
    shape = geo.shape_of({"type": "Polygon", "coordinates": [ring]})
    [[simple]] = geo.simplify(shape)
    assert (5.52001, 51.750005) not in simple
    assert (5.535, 51.751) in simple
    assert simple[0] == simple[-1] and len(simple) == 7
    # A ring too small for the tolerance keeps its points rather than collapse.
    tiny = [[5.5, 51.75], [5.500001, 51.75], [5.500001, 51.750001], [5.5, 51.75]]
    tiny_shape = geo.shape_of({"type": "Polygon", "coordinates": [tiny]})
    assert geo.simplify(tiny_shape) == tiny_shape


def test_self_intersection_sweep_finds_a_crossing_among_many_points():
    n = 2000
    ring = [
        (5.5 + 0.01 * math.cos(2 * math.pi * i / n), 51.7 + 0.01 * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]
    assert not geo.self_intersects(ring + ring[:1])
    ring[n // 2], ring[n // 2 + 40] = ring[n // 2 + 40], ring[n // 2]
    assert geo.self_intersects(ring + ring[:1])


def test_drawings_leave_out_detail_smaller_than_a_step():
    points = [(0.0, 0.0), (10.0, 0.1), (20.0, 0.0), (20.0, 20.0)]
    assert geo.thin(points, 0.8) == [(0.0, 0.0), (20.0, 0.0), (20.0, 20.0)]
