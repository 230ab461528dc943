"""Area plans and their spearheads: create, change, adopt, set back to draft."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.domain import DomainError
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    AreaPlan,
    PlanStatus,
    Spearhead,
    User,
)
from buurtbegroting.permissions import managed_area_ids


class PlanIsAdopted(DomainError):
    """An adopted plan is read-only until it is set back to draft."""


class PlanHasNoSpearheads(DomainError):
    """A plan needs at least one spearhead before it can be adopted."""


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


def _set_plan(plan: AreaPlan, **values: Any) -> tuple[dict, dict]:
    """Set ``values`` on the plan; return what changed, as the audit log records it."""
    before = _plan_state(plan)
    for name, value in values.items():
        setattr(plan, name, value)
    db.session.flush()
    return audit.changes(before, _plan_state(plan))


def _require_draft(plan: AreaPlan) -> None:
    if plan.is_adopted:
        raise PlanIsAdopted(plan.id)


def update_plan(
    plan: AreaPlan, title: str, summary: str, start: date, end: date, actor: User
) -> None:
    """Change the title, summary and period of a draft plan."""
    _require_draft(plan)
    old, new = _set_plan(plan, title=title, summary=summary, period_start=start, period_end=end)
    if new:
        audit.record(actor, "plan.update", plan, summary=plan.title, before=old, after=new)


def adopt_plan(plan: AreaPlan, adopted_on: date, reference: str, actor: User) -> None:
    """Record that the municipality adopted the plan, with the date and the decision."""
    _require_draft(plan)
    if not plan.spearheads:
        raise PlanHasNoSpearheads(plan.id)
    old, new = _set_plan(
        plan, status=PlanStatus.ADOPTED, adopted_on=adopted_on, decision_reference=reference
    )
    audit.record(actor, "plan.adopt", plan, summary=plan.title, before=old, after=new)


def revert_plan_to_draft(plan: AreaPlan, reason: str, actor: User) -> None:
    """Set an adopted plan back to draft; the reason goes into the audit log."""
    if not plan.is_adopted:
        return
    old, new = _set_plan(plan, status=PlanStatus.DRAFT, adopted_on=None, decision_reference=None)
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
