"""CSV imports of areas, postcodes and indicators: the whole file is checked first.

Nothing is written when any row is bad (:class:`ImportRejected` lists them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.admin.services.areas import _area_state
from buurtbegroting.domain import DomainError
from buurtbegroting.domain import csv_import as csvi
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    AreaLevel,
    Indicator,
    Postcode,
    User,
)

#: Keep IN (...) lists well below every database's limit on bound parameters.
_CHUNK = 500


class ImportRejected(DomainError):
    """The file was refused: a problem with the whole file, or a list of bad rows."""

    def __init__(
        self, errors: list[csvi.RowError] | None = None, problem: csvi.FileProblem | None = None
    ) -> None:
        super().__init__("import rejected")
        self.errors = sorted(errors or [], key=lambda e: e[0])
        self.problem = problem


@dataclass
class ImportSummary:
    """What an import changed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Postcodes in the CBS layout: PC6s whose addresses lie in several neighbourhoods.
    split: int = 0
    layout: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def _chunks(items: list) -> list[list]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _parse(parser, data: bytes, max_bytes: int):
    try:
        return parser(data, max_bytes)
    except csvi.FileProblem as problem:
        raise ImportRejected(problem=problem) from None


def import_areas(
    data: bytes, actor: User, filename: str = "", max_bytes: int = csvi.MAX_BYTES
) -> ImportSummary:
    """Create or update areas from a ``code;name;parent_code`` file (upsert by code)."""
    rows, errors = _parse(csvi.parse_areas, data, max_bytes)
    existing = {a.code: a for a in db.session.scalars(select(Area))}
    in_file = {row.code for row in rows}
    for row in rows:
        if row.parent_code and row.parent_code not in in_file | existing.keys():
            errors.append((row.line, "parent_unknown", {"value": row.parent_code}))
    if errors:
        raise ImportRejected(errors)

    log = _ImportLog(ImportSummary())
    areas = dict(existing)
    for row in rows:
        if row.code not in areas:
            areas[row.code] = Area(code=row.code, name=row.name, level=AreaLevel(row.level))
            db.session.add(areas[row.code])
    db.session.flush()
    for row in rows:
        area = areas[row.code]
        state = _area_state(area) if row.code in existing else None
        area.name = row.name
        area.parent = areas[row.parent_code] if row.parent_code else None
        new_state = {"name": row.name, "parent": row.parent_code}
        if state is None:
            log.created(row.code, new_state)
        else:
            log.compared(row.code, state, new_state)
    return log.record(actor, "area.import", "areas", filename)


@dataclass
class _ImportLog:
    """What an import changes, row by row: counted for the summary, kept for the audit log."""

    summary: ImportSummary
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    def created(self, key: str, state: Any) -> None:
        """Count a new row."""
        self.summary.created += 1
        self.after[key] = state

    def compared(self, key: str, state: Any, new_state: Any) -> bool:
        """Count an existing row as updated or unchanged; return whether it changes."""
        if state == new_state:
            self.summary.unchanged += 1
            return False
        self.summary.updated += 1
        if isinstance(state, dict):
            state, new_state = audit.changes(state, new_state)
        self.before[key], self.after[key] = state, new_state
        return True

    def record(self, actor: User, action: str, kind: str, filename: str) -> ImportSummary:
        """Flush, write one audit entry for the whole file, and return the summary."""
        db.session.flush()
        audit.record(
            actor,
            action,
            object_type=kind,
            summary=_import_summary_text(filename, self.summary),
            before={kind: self.before},
            after={kind: self.after, **_counts(self.summary, filename)},
        )
        return self.summary


def _counts(summary: ImportSummary, filename: str) -> dict[str, Any]:
    counts = {
        "file": filename,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
    }
    if summary.layout:
        counts.update(layout=summary.layout, split=summary.split)
    return counts


def _import_summary_text(filename: str, summary: ImportSummary) -> str:
    # Stored as data, not shown as a sentence: the audit page translates the counts.
    return f"{filename or '-'}: +{summary.created} ~{summary.updated} ={summary.unchanged}" + (
        f" split {summary.split}" if summary.layout == "cbs" else ""
    )


def import_postcodes(
    data: bytes, actor: User, filename: str = "", max_bytes: int = csvi.MAX_BYTES
) -> ImportSummary:
    """Map postcodes to neighbourhoods from a file (either layout); upsert by postcode."""
    parsed, errors = _parse(csvi.parse_postcodes, data, max_bytes)
    codes = sorted({code for _line, code in parsed.references})
    neighbourhoods: dict[str, Area] = {}
    for chunk in _chunks(codes):
        for area in db.session.scalars(
            select(Area).where(Area.code.in_(chunk), Area.level == AreaLevel.NEIGHBOURHOOD)
        ):
            neighbourhoods[area.code] = area
    for line, code in parsed.references:
        if code not in neighbourhoods:
            errors.append((line, "area_unknown", {"value": code}))
    if errors:
        raise ImportRejected(errors)

    postcodes = sorted(parsed.mapping)
    current: dict[str, Postcode] = {}
    for chunk in _chunks(postcodes):
        for row in db.session.scalars(
            select(Postcode)
            .where(Postcode.postcode.in_(chunk))
            .options(selectinload(Postcode.area))
        ):
            current[row.postcode] = row
    log = _ImportLog(ImportSummary(layout=parsed.layout, split=parsed.split))
    for postcode in postcodes:
        area = neighbourhoods[parsed.mapping[postcode]]
        row = current.get(postcode)
        if row is None:
            db.session.add(Postcode(postcode=postcode, area=area))
            log.created(postcode, area.code)
        elif log.compared(postcode, row.area.code, area.code):
            row.area = area
    return log.record(actor, "postcode.import", "postcodes", filename)


#: What an import may change in an indicator (its key is area, name and year).
_INDICATOR_FIELDS = ("value", "unit", "municipal_average", "source")


def _indicator_state(ind) -> dict[str, Any]:
    """Return the changeable fields of an indicator or of an indicator row in the file."""
    return {name: getattr(ind, name) for name in _INDICATOR_FIELDS}


def import_indicators(
    data: bytes, actor: User, filename: str = "", max_bytes: int = csvi.MAX_BYTES
) -> ImportSummary:
    """Create or update area-monitor figures; upsert on (area, name, year)."""
    rows, errors = _parse(csvi.parse_indicators, data, max_bytes)
    codes = sorted({row.area_code for row in rows})
    areas: dict[str, Area] = {}
    for chunk in _chunks(codes):
        areas.update(
            {a.code: a for a in db.session.scalars(select(Area).where(Area.code.in_(chunk)))}
        )
    for row in rows:
        if row.area_code not in areas:
            errors.append((row.line, "area_unknown", {"value": row.area_code}))
    if errors:
        raise ImportRejected(errors)

    existing: dict[tuple[int, str, int], Indicator] = {}
    area_ids = [a.id for a in areas.values()]
    for chunk in _chunks(area_ids):
        for ind in db.session.scalars(select(Indicator).where(Indicator.area_id.in_(chunk))):
            existing[(ind.area_id, ind.name, ind.year)] = ind
    log = _ImportLog(ImportSummary())
    for row in rows:
        area = areas[row.area_code]
        key = f"{row.area_code}|{row.name}|{row.year}"
        new_state = _indicator_state(row)
        ind = existing.get((area.id, row.name, row.year))
        if ind is None:
            db.session.add(Indicator(area=area, name=row.name, year=row.year, **new_state))
            log.created(key, new_state)
        elif log.compared(key, _indicator_state(ind), new_state):
            for attr, value in new_state.items():
                setattr(ind, attr, value)
    return log.record(actor, "indicator.import", "indicators", filename)
