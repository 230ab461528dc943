"""Accounts: the list, and changing a role, coordinated areas and blocking."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.areas import selectable_areas
from buurtbegroting.domain import DomainError
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    Role,
    User,
)


class CoordinatorNeedsAreas(DomainError):
    """A coordinator must manage at least one area."""


def user_query(search: str = ""):
    """Return a select of accounts, filtered by part of the e-mail address or name."""
    query = select(User).options(selectinload(User.coordinated_areas)).order_by(User.email)
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
    return selectable_areas()


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
    if target.is_active and not is_active:
        # Blocking ends every session at once; unblocking must not bring them back.
        target.end_sessions()
    target.is_active = is_active
    db.session.flush()
    old, new = audit.changes(before, _user_state(target))
    if new:
        audit.record(actor, "user.update", target, summary=target.email, before=old, after=new)
