"""Import of area boundaries from GeoJSON: all features checked first, then all or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import undefer

from buurtbegroting import audit
from buurtbegroting.admin.services.imports import ImportRejected, _chunks
from buurtbegroting.domain import boundaries as gj
from buurtbegroting.domain.geo import as_geojson, simplify
from buurtbegroting.extensions import db
from buurtbegroting.models import Area, User

#: The file was refused: a problem with the whole file, or a list of bad features
#: (the same exception as the CSV imports').
BoundariesRejected = ImportRejected


@dataclass
class BoundarySummary:
    """What an import changed."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0


def import_boundaries(
    data: bytes,
    actor: User,
    *,
    code_property: str | None = None,
    filename: str = "",
    max_bytes: int = gj.MAX_BYTES,
) -> BoundarySummary:
    """Set the boundaries of the areas in a GeoJSON file; flush only, audited."""
    try:
        boundaries, errors = gj.parse(data, code_property or None, max_bytes)
    except gj.FileProblem as problem:
        raise BoundariesRejected(problem=problem) from None
    codes = [b.code for b in boundaries]
    areas: dict[str, Area] = {}
    for chunk in _chunks(codes):
        areas.update(
            (a.code, a)
            for a in db.session.scalars(
                select(Area).where(Area.code.in_(chunk)).options(undefer(Area.boundary))
            )
        )
    errors += [
        (b.number, b.code, "area_unknown", {"value": b.code})
        for b in boundaries
        if b.code not in areas
    ]
    if errors:
        raise BoundariesRejected(errors)
    summary = BoundarySummary()
    for boundary in boundaries:
        area = areas[boundary.code]
        text = json.dumps(as_geojson(simplify(boundary.shape)), separators=(",", ":"))
        if area.boundary == text:
            summary.unchanged += 1
            continue
        if area.boundary:
            summary.replaced += 1
        else:
            summary.added += 1
        area.boundary = text
    db.session.flush()
    audit.record(
        actor,
        "area.boundaries",
        object_type="areas",
        summary=f"{len(codes)} boundaries from {filename or 'upload'}"[:300],
        after={
            "file": filename[:200],
            "code_property": code_property or None,
            "added": summary.added,
            "replaced": summary.replaced,
            "unchanged": summary.unchanged,
            "codes": codes[:500],
        },
    )
    return summary
