"""Reading area boundaries from a GeoJSON file: every feature checked, every problem listed.

The CBS publishes districts and neighbourhoods as GeoJSON with the code in ``statcode``
(also ``buurtcode``, ``wijkcode``, ``gemeentecode``); any other FeatureCollection works
when the administrator names the property that holds the code. Coordinates must be WGS84
(EPSG:4326); a file in the Dutch RD New system (EPSG:28992) is refused with a message
that says how to convert it, because a silent conversion could put boundaries in the
wrong place.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from buurtbegroting.domain.areas import CODE_PATTERNS
from buurtbegroting.domain.geo import GeometryProblem, Shape, shape_of

#: Largest file accepted (the CBS boundaries of one municipality's neighbourhoods are far
#: smaller); below the request limit, so a larger file gets this message, not a 413 page.
MAX_BYTES = 10 * 1024 * 1024
#: Properties tried for the code, in this order, when no property is named.
CODE_PROPERTIES = ("statcode", "buurtcode", "wijkcode", "gemeentecode", "code")
_PROPERTY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,39}$")
_RD_CRS = re.compile(r"28992|RD ?New|Amersfoort", re.IGNORECASE)


class FileProblem(ValueError):
    """A problem with the whole file: ``code`` names it, ``params`` fill the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Boundary:
    """One accepted feature: the area code and its checked shape."""

    number: int
    code: str
    shape: Shape


#: (feature number, code or "", problem code, message parameters)
FeatureError = tuple[int, str, str, dict]


def valid_property_name(name: str) -> bool:
    """Tell whether a property name is one an administrator may type."""
    return bool(_PROPERTY_NAME.match(name))


def _load(data: bytes, max_bytes: int) -> Any:
    if not data:
        raise FileProblem("empty")
    if len(data) > max_bytes:
        raise FileProblem("too_large", max_mb=max_bytes // (1024 * 1024))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("not_json") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise FileProblem("not_json") from None


def _features(document: Any) -> list:
    if not isinstance(document, dict):
        raise FileProblem("not_geojson")
    crs = json.dumps(document.get("crs") or "")
    if _RD_CRS.search(crs):
        raise FileProblem("rd_new")
    if document.get("type") == "Feature":
        return [document]
    if document.get("type") != "FeatureCollection" or not isinstance(
        document.get("features"), list
    ):
        raise FileProblem("not_geojson")
    if not document["features"]:
        raise FileProblem("no_features")
    return document["features"]


def _code(properties: dict, code_property: str | None) -> str:
    names = (code_property,) if code_property else CODE_PROPERTIES
    for name in names:
        value = properties.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip().upper()
    return ""


def _valid_code(code: str) -> bool:
    return any(pattern.match(code) for pattern in CODE_PATTERNS.values())


def parse(
    data: bytes, code_property: str | None = None, max_bytes: int = MAX_BYTES
) -> tuple[list[Boundary], list[FeatureError]]:
    """Read a GeoJSON file; return the good features and a problem per bad one (numbered from 1).

    Raises :class:`FileProblem` when the file as a whole is no GeoJSON feature collection.
    """
    features = _features(_load(data, max_bytes))
    boundaries: list[Boundary] = []
    errors: list[FeatureError] = []
    first_of: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append((number, "", "not_feature", {}))
            continue
        properties = feature.get("properties")
        code = _code(properties if isinstance(properties, dict) else {}, code_property)
        if not code:
            errors.append((number, "", "code_missing", {"property": code_property or "statcode"}))
            continue
        if not _valid_code(code):
            errors.append((number, code[:20], "code_invalid", {"value": code[:20]}))
            continue
        if code in first_of:
            errors.append((number, code, "duplicate_code", {"first": first_of[code]}))
            continue
        first_of[code] = number
        try:
            shape = shape_of(feature.get("geometry"))
        except GeometryProblem as problem:
            errors.append((number, code, problem.code, problem.params))
            continue
        boundaries.append(Boundary(number=number, code=code, shape=shape))
    return boundaries, errors
