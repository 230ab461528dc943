"""Services of the administration: imports, areas, plans, indicators, users.

Every service takes the acting user explicitly, writes an audit entry, flushes and
leaves the commit to the caller. Imports check the whole file first and write
nothing when any row is bad.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.domain import DomainError
from buurtbegroting.domain import csv_import as csvi
from buurtbegroting.domain.areas import expected_parent_level
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    AreaLevel,
    AreaPlan,
    AuditEntry,
    Indicator,
    PlanStatus,
    Postcode,
    Role,
    Spearhead,
    User,
)
from buurtbegroting.permissions import managed_area_ids

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


class WrongParent(DomainError):
    """The chosen parent is not of the level the area needs."""


class PlanIsAdopted(DomainError):
    """An adopted plan is read-only until it is set back to draft."""


class PlanHasNoSpearheads(DomainError):
    """A plan needs at least one spearhead before it can be adopted."""


class CoordinatorNeedsAreas(DomainError):
    """A coordinator must manage at least one area."""


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


# --- areas ------------------------------------------------------------------------


def area_tree() -> tuple[list[Area], list[Area]]:
    """Return the municipalities (children loaded) and areas that hang loose in the tree."""
    areas = db.session.scalars(
        select(Area).order_by(Area.code).options(selectinload(Area.children))
    ).all()
    roots = [a for a in areas if a.level == AreaLevel.MUNICIPALITY]
    loose = [a for a in areas if a.level != AreaLevel.MUNICIPALITY and a.parent_id is None]
    return roots, loose


def parent_choices(area: Area) -> list[Area]:
    """Return the areas that may be the parent of ``area`` (of the level above it)."""
    wanted = expected_parent_level(area.level.value)
    if wanted is None:
        return []
    return list(
        db.session.scalars(select(Area).where(Area.level == AreaLevel(wanted)).order_by(Area.code))
    )


def _area_state(area: Area) -> dict[str, Any]:
    return {"name": area.name, "parent": area.parent.code if area.parent else None}


def update_area(area: Area, name: str, parent: Area | None, actor: User) -> None:
    """Change the name and parent of an area; the parent must be one level up."""
    wanted = expected_parent_level(area.level.value)
    if (wanted is None and parent is not None) or (
        wanted is not None and (parent is None or parent.level.value != wanted)
    ):
        raise WrongParent(area.code)
    before = _area_state(area)
    area.name = name
    area.parent = parent
    db.session.flush()
    old, new = audit.changes(before, _area_state(area))
    if new:
        audit.record(actor, "area.update", area, summary=area.code, before=old, after=new)


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

    summary = ImportSummary()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
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
            summary.created += 1
            after[row.code] = new_state
        elif state != new_state:
            summary.updated += 1
            old, new = audit.changes(state, new_state)
            before[row.code], after[row.code] = old, new
        else:
            summary.unchanged += 1
    db.session.flush()
    audit.record(
        actor,
        "area.import",
        object_type="areas",
        summary=_import_summary_text(filename, summary),
        before={"areas": before},
        after={"areas": after, **_counts(summary, filename)},
    )
    return summary


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


# --- postcodes --------------------------------------------------------------------


def postcode_query(search: str = ""):
    """Return a select of postcode mappings, filtered by postcode, area code or area name."""
    query = select(Postcode).join(Postcode.area).options(selectinload(Postcode.area))
    term = search.strip()
    if term:
        compact = term.replace(" ", "").upper()
        query = query.where(
            or_(
                Postcode.postcode.startswith(compact, autoescape=True),
                Area.code == compact,
                func.lower(Area.name).contains(term.lower(), autoescape=True),
            )
        )
    return query.order_by(Postcode.postcode)


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
    summary = ImportSummary(layout=parsed.layout, split=parsed.split)
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for postcode in postcodes:
        area = neighbourhoods[parsed.mapping[postcode]]
        row = current.get(postcode)
        if row is None:
            db.session.add(Postcode(postcode=postcode, area=area))
            summary.created += 1
            after[postcode] = area.code
        elif row.area_id != area.id:
            before[postcode] = row.area.code
            after[postcode] = area.code
            row.area = area
            summary.updated += 1
        else:
            summary.unchanged += 1
    db.session.flush()
    audit.record(
        actor,
        "postcode.import",
        object_type="postcodes",
        summary=_import_summary_text(filename, summary),
        before={"postcodes": before},
        after={"postcodes": after, **_counts(summary, filename)},
    )
    return summary


# --- area plans -------------------------------------------------------------------


def manageable_areas(user: User) -> list[Area]:
    """Return the areas the user may make plans for, in code order."""
    ids = managed_area_ids(user)
    query = select(Area).order_by(Area.code)
    if ids is not None:
        query = query.where(Area.id.in_(ids or [-1]))
    return list(db.session.scalars(query))


def plan_query(user: User):
    """Return a select of the plans the user may see here: all, or those of their areas."""
    ids = managed_area_ids(user)
    query = (
        select(AreaPlan)
        .join(AreaPlan.area)
        .options(selectinload(AreaPlan.area))
        .order_by(AreaPlan.period_start.desc(), Area.code)
    )
    if ids is not None:
        query = query.where(AreaPlan.area_id.in_(ids or [-1]))
    return query


_PLAN_EXCLUDE = ("created_at", "updated_at")


def _plan_state(plan: AreaPlan) -> dict[str, Any]:
    state = audit.snapshot(plan, exclude=_PLAN_EXCLUDE)
    state["area"] = plan.area.code
    state.pop("area_id", None)
    return state


def create_plan(
    area: Area, title: str, summary: str, start: date, end: date, actor: User
) -> AreaPlan:
    """Create a draft plan for an area."""
    plan = AreaPlan(
        area=area,
        title=title,
        summary=summary,
        period_start=start,
        period_end=end,
        status=PlanStatus.DRAFT,
    )
    db.session.add(plan)
    db.session.flush()
    audit.record(actor, "plan.create", plan, summary=title, after=_plan_state(plan))
    return plan


def _require_draft(plan: AreaPlan) -> None:
    if plan.is_adopted:
        raise PlanIsAdopted(plan.id)


def update_plan(
    plan: AreaPlan, title: str, summary: str, start: date, end: date, actor: User
) -> None:
    """Change the title, summary and period of a draft plan."""
    _require_draft(plan)
    before = _plan_state(plan)
    plan.title, plan.summary, plan.period_start, plan.period_end = title, summary, start, end
    db.session.flush()
    old, new = audit.changes(before, _plan_state(plan))
    if new:
        audit.record(actor, "plan.update", plan, summary=plan.title, before=old, after=new)


def adopt_plan(plan: AreaPlan, adopted_on: date, reference: str, actor: User) -> None:
    """Record that the municipality adopted the plan, with the date and the decision."""
    _require_draft(plan)
    if not plan.spearheads:
        raise PlanHasNoSpearheads(plan.id)
    before = _plan_state(plan)
    plan.status = PlanStatus.ADOPTED
    plan.adopted_on = adopted_on
    plan.decision_reference = reference
    db.session.flush()
    old, new = audit.changes(before, _plan_state(plan))
    audit.record(actor, "plan.adopt", plan, summary=plan.title, before=old, after=new)


def revert_plan_to_draft(plan: AreaPlan, reason: str, actor: User) -> None:
    """Set an adopted plan back to draft; the reason goes into the audit log."""
    if not plan.is_adopted:
        return
    before = _plan_state(plan)
    plan.status = PlanStatus.DRAFT
    plan.adopted_on = None
    plan.decision_reference = None
    db.session.flush()
    old, new = audit.changes(before, _plan_state(plan))
    new["reason"] = reason
    audit.record(actor, "plan.to_draft", plan, summary=plan.title, before=old, after=new)


def _spearhead_state(spearhead: Spearhead) -> dict[str, Any]:
    return {
        "plan_id": spearhead.plan_id,
        "title": spearhead.title,
        "description": spearhead.description,
        "position": spearhead.position,
    }


def _renumber(plan: AreaPlan) -> None:
    for position, item in enumerate(sorted(plan.spearheads, key=lambda s: (s.position, s.id or 0))):
        item.position = position


def add_spearhead(plan: AreaPlan, title: str, description: str, actor: User) -> Spearhead:
    """Add a spearhead at the end of a draft plan's list."""
    _require_draft(plan)
    _renumber(plan)
    spearhead = Spearhead(title=title, description=description, position=len(plan.spearheads))
    plan.spearheads.append(spearhead)
    db.session.flush()
    audit.record(
        actor, "spearhead.create", spearhead, summary=title, after=_spearhead_state(spearhead)
    )
    return spearhead


def update_spearhead(spearhead: Spearhead, title: str, description: str, actor: User) -> None:
    """Change the title and description of a spearhead of a draft plan."""
    _require_draft(spearhead.plan)
    before = _spearhead_state(spearhead)
    spearhead.title, spearhead.description = title, description
    db.session.flush()
    old, new = audit.changes(before, _spearhead_state(spearhead))
    if new:
        audit.record(actor, "spearhead.update", spearhead, summary=title, before=old, after=new)


def delete_spearhead(spearhead: Spearhead, actor: User) -> None:
    """Remove a spearhead from a draft plan."""
    plan = spearhead.plan
    _require_draft(plan)
    before = _spearhead_state(spearhead)
    audit.record(actor, "spearhead.delete", spearhead, summary=spearhead.title, before=before)
    plan.spearheads.remove(spearhead)
    db.session.flush()
    _renumber(plan)
    db.session.flush()


def move_spearhead(spearhead: Spearhead, step: int, actor: User) -> None:
    """Move a spearhead one place up (step -1) or down (step +1) in its plan."""
    plan = spearhead.plan
    _require_draft(plan)
    _renumber(plan)
    ordered = sorted(plan.spearheads, key=lambda s: s.position)
    index = ordered.index(spearhead)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(ordered):
        return
    before = [s.title for s in ordered]
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    db.session.flush()
    audit.record(
        actor,
        "spearhead.move",
        spearhead,
        summary=spearhead.title,
        before={"order": before},
        after={"order": [s.title for s in ordered]},
    )


# --- indicators -------------------------------------------------------------------


def indicator_query(area_id: int | None = None, year: int | None = None):
    """Return a select of indicators, optionally for one area and one year."""
    query = (
        select(Indicator)
        .join(Indicator.area)
        .options(selectinload(Indicator.area))
        .order_by(Indicator.year.desc(), Area.code, Indicator.name)
    )
    if area_id is not None:
        query = query.where(Indicator.area_id == area_id)
    if year is not None:
        query = query.where(Indicator.year == year)
    return query


def indicator_years() -> list[int]:
    """Return the years that have indicators, newest first."""
    return list(
        db.session.scalars(select(Indicator.year).distinct().order_by(Indicator.year.desc()))
    )


def areas_with_indicators() -> list[Area]:
    """Return the areas that have indicators, in code order."""
    return list(
        db.session.scalars(
            select(Area).where(Area.id.in_(select(Indicator.area_id))).order_by(Area.code)
        )
    )


def _indicator_state(ind: Indicator) -> dict[str, Any]:
    return {
        "value": ind.value,
        "unit": ind.unit,
        "municipal_average": ind.municipal_average,
        "source": ind.source,
    }


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
    summary = ImportSummary()
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for row in rows:
        area = areas[row.area_code]
        key = f"{row.area_code}|{row.name}|{row.year}"
        new_state = {
            "value": row.value,
            "unit": row.unit,
            "municipal_average": row.municipal_average,
            "source": row.source,
        }
        ind = existing.get((area.id, row.name, row.year))
        if ind is None:
            db.session.add(Indicator(area=area, name=row.name, year=row.year, **new_state))
            summary.created += 1
            after[key] = new_state
            continue
        state = _indicator_state(ind)
        if state == new_state:
            summary.unchanged += 1
            continue
        for attr, value in new_state.items():
            setattr(ind, attr, value)
        old, new = audit.changes(state, new_state)
        before[key], after[key] = old, new
        summary.updated += 1
    db.session.flush()
    audit.record(
        actor,
        "indicator.import",
        object_type="indicators",
        summary=_import_summary_text(filename, summary),
        before={"indicators": before},
        after={"indicators": after, **_counts(summary, filename)},
    )
    return summary


# --- users ------------------------------------------------------------------------


def user_query(search: str = ""):
    """Return a select of accounts, filtered by part of the e-mail address or name."""
    query = select(User).order_by(User.email)
    term = search.strip().lower()
    if term:
        query = query.where(
            or_(
                func.lower(User.email).contains(term, autoescape=True),
                func.lower(User.display_name).contains(term, autoescape=True),
            )
        )
    return query


def coordinator_area_choices() -> list[Area]:
    """Return the districts and neighbourhoods a coordinator can be given, in code order."""
    return list(
        db.session.scalars(
            select(Area)
            .where(Area.level.in_([AreaLevel.DISTRICT, AreaLevel.NEIGHBOURHOOD]))
            .order_by(Area.code)
        )
    )


def _user_state(user: User) -> dict[str, Any]:
    return {
        "role": user.role.value,
        "is_active": user.is_active,
        "areas": [a.code for a in user.coordinated_areas],
    }


def update_user(target: User, role: Role, areas: list[Area], is_active: bool, actor: User) -> None:
    """Change an account's role, the areas it coordinates, and whether it is blocked.

    Only coordinators keep areas; other roles lose them.
    """
    if role == Role.COORDINATOR and not areas:
        raise CoordinatorNeedsAreas(target.id)
    before = _user_state(target)
    target.role = role
    target.coordinated_areas = (
        sorted(areas, key=lambda a: a.code) if role == Role.COORDINATOR else []
    )
    target.is_active = is_active
    db.session.flush()
    old, new = audit.changes(before, _user_state(target))
    if new:
        audit.record(actor, "user.update", target, summary=target.email, before=old, after=new)


# --- audit log and outbox ---------------------------------------------------------


def audit_query(action: str = "", actor: str = ""):
    """Return a select of audit entries, newest first, optionally of one action or actor."""
    query = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor_label == actor)
    return query


def audit_filter_values() -> tuple[list[str], list[str]]:
    """Return the actions and the actors that occur in the audit log."""
    actions = db.session.scalars(
        select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    actors = db.session.scalars(
        select(AuditEntry.actor_label).distinct().order_by(AuditEntry.actor_label)
    ).all()
    return list(actions), list(actors)
