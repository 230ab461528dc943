"""Translated messages for the problems of a boundary file and of its features."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

RD_NEW_HINT = _l(
    "Convert the file to WGS84 (EPSG:4326) first, for example with "
    "“ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson”, or download the CBS file in WGS84."
)

FILE_MESSAGES = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is too large. Send at most %(max_mb)d MB at a time."),
    "not_json": _l("This is not a GeoJSON file: the text is not JSON."),
    "not_geojson": _l("This is not a GeoJSON FeatureCollection with features."),
    "no_features": _l("The file has no features."),
    "rd_new": _l("The coordinates are in the Dutch RD New system (EPSG:28992)."),
}

FEATURE_MESSAGES = {
    "not_feature": _l("This is not a GeoJSON Feature."),
    "code_missing": _l("The feature has no area code in the property “%(property)s”."),
    "code_invalid": _l(
        "“%(value)s” is not a CBS code. Use GM and 4 digits, WK and 6 digits, or BU and 8 characters."
    ),
    "duplicate_code": _l("This area is already in feature %(first)d."),
    "area_unknown": _l("The area “%(value)s” does not exist. Import the areas first."),
    "no_geometry": _l("The feature has no geometry."),
    "not_polygon": _l("The geometry is a “%(type)s”, not a Polygon or MultiPolygon."),
    "bad_coordinates": _l("The coordinates cannot be read: each point must be two numbers."),
    "out_of_range": _l(
        "A coordinate lies outside the world: longitude -180 to 180, latitude -90 to 90."
    ),
    "rd_new": _l("The coordinates are in the Dutch RD New system (EPSG:28992)."),
    "ring_too_short": _l("A ring has %(found)d points; it needs at least 4."),
    "ring_not_closed": _l("A ring is not closed: its last point must be its first point."),
    "ring_self_intersects": _l("A ring crosses itself."),
}


def file_message(code: str, params: dict) -> str:
    """Return the message for a problem with the whole file."""
    text = str(FILE_MESSAGES[code] % params if params else FILE_MESSAGES[code])
    return f"{text} {RD_NEW_HINT}" if code == "rd_new" else text


def feature_message(code: str, params: dict) -> str:
    """Return the message for a problem with one feature."""
    text = str(FEATURE_MESSAGES[code] % params if params else FEATURE_MESSAGES[code])
    return f"{text} {RD_NEW_HINT}" if code == "rd_new" else text
