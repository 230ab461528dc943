"""Geometry on WGS84 longitude/latitude, pure: checks, point in polygon, projection for drawing.

A shape is a list of polygons; a polygon is a list of rings (the outer ring first, then
holes); a ring is a closed list of ``(longitude, latitude)`` pairs, as in GeoJSON.
Drawing uses the spherical Web Mercator projection, the one of web maps, so the SVG map
and the zoomable map show the same shapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Ring = list[tuple[float, float]]
Polygon = list[Ring]
Shape = list[Polygon]

#: Rings with more points are not checked for self-intersection (a sweep over the edges,
#: fast for real boundaries, but quadratic at worst).
MAX_POINTS_INTERSECTION_CHECK = 5000
#: Detail smaller than this (in SVG units) is left out of a drawing.
MIN_STEP = 0.8
#: Detail smaller than this is left out of a stored boundary (about 2 m).
SIMPLIFY_DEGREES = 0.00002
#: Digits kept of a coordinate: 6 decimals of a degree is about 10 cm.
DIGITS = 6


class GeometryProblem(ValueError):
    """A geometry that cannot be used: ``code`` names the problem, ``params`` fill the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def looks_like_rd_new(x: float, y: float) -> bool:
    """Tell whether a pair is a Dutch RD New (EPSG:28992) coordinate rather than WGS84."""
    return -7_000 <= x <= 300_000 and 289_000 <= y <= 629_000


def in_range(lon: float, lat: float) -> bool:
    """Tell whether a longitude/latitude pair is a WGS84 coordinate."""
    return -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


def _point(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise GeometryProblem("bad_coordinates")
    x, y = value[0], value[1]
    if isinstance(x, bool) or isinstance(y, bool) or not isinstance(x, int | float):
        raise GeometryProblem("bad_coordinates")
    if not isinstance(y, int | float) or not (math.isfinite(x) and math.isfinite(y)):
        raise GeometryProblem("bad_coordinates")
    if not in_range(x, y):
        if looks_like_rd_new(x, y):
            raise GeometryProblem("rd_new")
        raise GeometryProblem("out_of_range")
    return (round(float(x), DIGITS), round(float(y), DIGITS))


def _cross(o, a, b) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(p1, p2, q1, q2) -> bool:
    """Tell whether two segments intersect (touching counts)."""
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    if ((d1 > 0) != (d2 > 0)) and d1 != 0 and d2 != 0 and ((d3 > 0) != (d4 > 0)):
        return d3 != 0 and d4 != 0

    def on(a, b, c, d) -> bool:
        return (
            d == 0
            and min(a[0], b[0]) <= c[0] <= max(a[0], b[0])
            and (min(a[1], b[1]) <= c[1] <= max(a[1], b[1]))
        )

    return on(q1, q2, p1, d1) or on(q1, q2, p2, d2) or on(p1, p2, q1, d3) or on(p1, p2, q2, d4)


def self_intersects(ring: Ring) -> bool:
    """Tell whether a closed ring crosses or touches itself (other than at neighbouring edges).

    Edges are swept from west to east: only edges whose longitudes overlap are compared.
    """
    edges = list(zip(ring, ring[1:], strict=False))
    n = len(edges)
    order = sorted(range(n), key=lambda i: min(edges[i][0][0], edges[i][1][0]))
    for pos, i in enumerate(order):
        a, b = edges[i]
        east = max(a[0], b[0])
        south, north = min(a[1], b[1]), max(a[1], b[1])
        for j in order[pos + 1 :]:
            c, d = edges[j]
            if min(c[0], d[0]) > east:
                break
            if abs(i - j) in (1, n - 1) or max(c[1], d[1]) < south or min(c[1], d[1]) > north:
                continue  # neighbouring edges share a point; others must overlap north-south
            if _segments_cross(a, b, c, d):
                return True
    return False


def check_ring(raw: Any, *, crossings: bool = True) -> Ring:
    """Return a ring as pairs, or raise :class:`GeometryProblem` when it cannot be a ring."""
    if not isinstance(raw, list):
        raise GeometryProblem("bad_coordinates")
    ring = [_point(value) for value in raw]
    if len(ring) < 4:
        raise GeometryProblem("ring_too_short", found=len(ring))
    if ring[0] != ring[-1]:
        raise GeometryProblem("ring_not_closed")
    if crossings and len(ring) <= MAX_POINTS_INTERSECTION_CHECK and self_intersects(ring):
        raise GeometryProblem("ring_self_intersects")
    return ring


def shape_of(geometry: Any, *, crossings: bool = True) -> Shape:
    """Return a GeoJSON Polygon or MultiPolygon as a shape, checked ring by ring.

    ``crossings=False`` skips the self-intersection check (for boundaries checked on import).
    """
    if not isinstance(geometry, dict):
        raise GeometryProblem("no_geometry")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise GeometryProblem("not_polygon", type=str(kind)[:40])
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise GeometryProblem("bad_coordinates")
    shape: Shape = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeometryProblem("bad_coordinates")
        shape.append([check_ring(ring, crossings=crossings) for ring in polygon])
    return shape


def as_geojson(shape: Shape) -> dict:
    """Return a shape as a GeoJSON geometry (a Polygon when it has one polygon)."""
    coordinates = [[[list(p) for p in ring] for ring in polygon] for polygon in shape]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _in_ring(ring: Ring, lon: float, lat: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x:
                inside = not inside
    return inside


def contains(shape: Shape, lon: float, lat: float) -> bool:
    """Tell whether the point lies in the shape (inside an outer ring and in none of its holes)."""
    return any(
        _in_ring(polygon[0], lon, lat) and not any(_in_ring(h, lon, lat) for h in polygon[1:])
        for polygon in shape
    )


def bbox(shapes: list[Shape], points: list[tuple[float, float]] = ()) -> tuple | None:
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` of shapes and points, or None when empty."""
    lons = [p[0] for s in shapes for poly in s for p in poly[0]] + [p[0] for p in points]
    lats = [p[1] for s in shapes for poly in s for p in poly[0]] + [p[1] for p in points]
    if not lons:
        return None
    return (min(lons), min(lats), max(lons), max(lats))


def centre(shape: Shape) -> tuple[float, float]:
    """Return the middle of the shape's bounding box as ``(lon, lat)``."""
    min_lon, min_lat, max_lon, max_lat = bbox([shape])
    return ((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)


def thin(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Drop the points that move the line by less than ``tolerance`` (Douglas-Peucker)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        far, index = 0.0, 0
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * (px - x1) - dx * (py - y1)) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > far:
                far, index = distance, i
        if far >= tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify(shape: Shape, tolerance: float = SIMPLIFY_DEGREES) -> Shape:
    """Return the shape with detail below ``tolerance`` degrees left out, every ring still valid.

    A ring that would become too short or cross itself keeps all its points.
    """
    result: Shape = []
    for polygon in shape:
        rings = []
        for ring in polygon:
            points = thin(ring[:-1], tolerance)
            candidate = points + points[:1]
            good = len(candidate) >= 4 and not self_intersects(candidate)
            rings.append(candidate if good else ring)
        result.append(rings)
    return result


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Project a WGS84 point to spherical Web Mercator (metres on the equator)."""
    lat = max(min(lat, 85.05112878), -85.05112878)
    x = math.radians(lon) * 6_378_137.0
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * 6_378_137.0
    return x, y


@dataclass(frozen=True)
class Viewport:
    """Maps WGS84 points into an SVG of ``width`` by ``height`` units with a margin."""

    min_x: float
    max_y: float
    scale: float
    width: float
    height: float
    margin: float

    @classmethod
    def fit(cls, box: tuple, width: float = 600, margin: float = 16, max_height: float = 600):
        """Fit a bounding box into the given width; the height follows (at most ``max_height``)."""
        min_x, min_y = mercator(box[0], box[1])
        max_x, max_y = mercator(box[2], box[3])
        span_x, span_y = max(max_x - min_x, 1.0), max(max_y - min_y, 1.0)
        inner = width - 2 * margin
        scale = inner / span_x
        if span_y * scale > max_height - 2 * margin:
            scale = (max_height - 2 * margin) / span_y
        return cls(
            min_x=min_x - (inner / scale - span_x) / 2,
            max_y=max_y,
            scale=scale,
            width=width,
            height=round(span_y * scale + 2 * margin, 1),
            margin=margin,
        )

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """Return the SVG position of a WGS84 point."""
        x, y = mercator(lon, lat)
        return (
            round((x - self.min_x) * self.scale + self.margin, 1),
            round((self.max_y - y) * self.scale + self.margin, 1),
        )

    def path(self, shape: Shape) -> str:
        """Return the SVG path data of a shape (holes use the even-odd fill rule)."""
        parts = []
        for polygon in shape:
            for ring in polygon:
                points = thin([self.point(lon, lat) for lon, lat in ring[:-1]], MIN_STEP)
                if len(points) >= 3:
                    parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
        return "".join(parts)
