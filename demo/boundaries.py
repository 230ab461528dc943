"""Invented, plausible boundaries of the demo districts of Oss and their neighbourhoods.

Nothing here is the real map: every district is a block of land placed around Oss
(51.765 N, 5.52 E), the villages at a plausible distance, and split into its
neighbourhoods. Edges get a small deterministic wiggle, computed from the edge itself,
so neighbours share their border exactly and the result is the same on every machine.

``python -m demo.boundaries > oss.geojson`` writes them as a CBS-style GeoJSON file
(``statcode``, ``statnaam``), which the administration's boundary import accepts.
"""

from __future__ import annotations

import json
import math
import sys

from demo.data import DISTRICTS

#: District number → (south, west, north, east) in degrees: the town in the middle, villages around.
BLOCKS = {
    1: (51.758, 5.505, 51.772, 5.530),
    2: (51.745, 5.505, 51.758, 5.530),
    3: (51.745, 5.530, 51.772, 5.558),
    4: (51.772, 5.480, 51.790, 5.530),
    5: (51.730, 5.490, 51.745, 5.558),
    6: (51.815, 5.540, 51.830, 5.600),
    7: (51.758, 5.566, 51.775, 5.600),
    8: (51.785, 5.620, 51.800, 5.660),
    9: (51.738, 5.610, 51.755, 5.650),
    10: (51.795, 5.420, 51.815, 5.462),
    11: (51.728, 5.440, 51.745, 5.476),
}
#: How far a border point may move, as a share of the border's length.
WIGGLE = 0.12


def _bend(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Return the middle of a border, moved across it by an amount fixed by the border."""
    (x1, y1), (x2, y2) = sorted([a, b])
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    seed = math.sin(mx * 12_989.8 + my * 78_233.3) * 43_758.5453
    shift = (seed - math.floor(seed) - 0.5) * 2 * WIGGLE
    dx, dy = x2 - x1, y2 - y1
    return (round(mx - dy * shift, 6), round(my + dx * shift, 6))


def _ring(corners: list[tuple[float, float]], straight) -> list[list[float]]:
    """Close a ring through the corners, with a bent middle point on every edge not ``straight``."""
    points = []
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        points += [list(a)] if straight(a, b) else [list(a), list(_bend(a, b))]
    return points + [points[0]]


def _outer_edge(block):
    """Return a test for edges on the block's outline (town districts share those with others)."""
    south, west, north, east = block

    def on_outline(a, b) -> bool:
        return (a[1] == b[1] and a[1] in (south, north)) or (a[0] == b[0] and a[0] in (west, east))

    return on_outline


def _cuts(west: float, east: float, parts: int) -> list[float]:
    return [round(west + (east - west) * i / parts, 6) for i in range(parts + 1)]


def district_shapes() -> dict[str, dict]:
    """Return a GeoJSON Polygon per demo area code: the districts, their neighbourhoods, Oss."""
    shapes: dict[str, dict] = {}
    district_rings = []
    for number, _name, neighbourhoods in DISTRICTS:
        south, west, north, east = BLOCKS[number]
        # The town's districts touch each other: their outlines stay straight so they fit.
        straight = _outer_edge(BLOCKS[number]) if number <= 5 else (lambda a, b: False)
        cuts = _cuts(west, east, len(neighbourhoods))
        # The district's outline runs through every point where a neighbourhood border meets it.
        corners = [(x, south) for x in cuts] + [(x, north) for x in reversed(cuts)]
        ring = _ring(corners, straight)
        shapes[f"WK0828{number:02d}"] = {"type": "Polygon", "coordinates": [ring]}
        district_rings.append([ring])
        for index, (left, right) in enumerate(zip(cuts, cuts[1:], strict=False)):
            strip = [(left, south), (right, south), (right, north), (left, north)]
            shapes[f"BU0828{number:02d}{index:02d}"] = {
                "type": "Polygon",
                "coordinates": [_ring(strip, straight)],
            }
    shapes["GM0828"] = {"type": "MultiPolygon", "coordinates": district_rings}
    return shapes


def spot_in(code: str, seed: str) -> tuple[float, float] | None:
    """Return an invented ``(latitude, longitude)`` inside the area, or None for some seeds.

    About one idea in four has no spot, as when a resident leaves it empty.
    """
    geometry = district_shapes().get(code)
    digest = sum(ord(c) * (i + 1) for i, c in enumerate(seed))
    if geometry is None or digest % 4 == 0:
        return None
    ring = (
        geometry["coordinates"][0]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"][0][0]
    )
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    # A point around the middle: far enough from the bent borders to lie inside.
    fx, fy = 0.3 + (digest % 7) / 15, 0.3 + (digest % 5) / 10
    lon = min(lons) + (max(lons) - min(lons)) * fx
    lat = min(lats) + (max(lats) - min(lats)) * fy
    return (round(lat, 6), round(lon, 6))


def load_boundaries(areas: dict) -> int:
    """Give each demo area (by code) its invented boundary when it has none; return how many."""
    added = 0
    for code, geometry in district_shapes().items():
        area = areas.get(code)
        if area is not None and not area.boundary:
            area.boundary = json.dumps(geometry, separators=(",", ":"))
            added += 1
    return added


def names() -> dict[str, str]:
    """Return the demo name of each area code."""
    result = {"GM0828": "Oss"}
    for number, name, neighbourhoods in DISTRICTS:
        result[f"WK0828{number:02d}"] = name
        for index, (bu_name, _postcodes) in enumerate(neighbourhoods):
            result[f"BU0828{number:02d}{index:02d}"] = bu_name
    return result


def feature_collection() -> dict:
    """Return the demo boundaries as a CBS-style GeoJSON FeatureCollection."""
    labels = names()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"statcode": code, "statnaam": labels[code]},
                "geometry": geometry,
            }
            for code, geometry in district_shapes().items()
        ],
    }


if __name__ == "__main__":
    json.dump(feature_collection(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
