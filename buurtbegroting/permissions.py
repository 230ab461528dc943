"""Every "may this user do this?" answer, for views and templates alike.

Each function takes the user (which may be anonymous) and the object, and returns a
bool. Views call :func:`require`; templates call the same functions (they are Jinja
globals), so a rule is written once.
"""

from __future__ import annotations

from flask import abort

from buurtbegroting.models import Area, AreaPlan, Role, User

STAFF_ROLES = {Role.REVIEWER, Role.COORDINATOR, Role.ADMIN}


def _role(user) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role


def is_admin(user) -> bool:
    """Tell whether the user is an administrator."""
    return _role(user) == Role.ADMIN


def is_staff(user) -> bool:
    """Tell whether the user works for the municipality (reviewer, coordinator, administrator)."""
    return _role(user) in STAFF_ROLES


def can_access_admin(user) -> bool:
    """Tell whether the user may open the administration at all."""
    return is_staff(user)


def managed_area_ids(user) -> set[int] | None:
    """Return the ids of areas the user manages, or None for "all areas" (administrators)."""
    if is_admin(user):
        return None
    if _role(user) != Role.COORDINATOR:
        return set()
    ids: set[int] = set()
    stack = list(user.coordinated_areas)
    while stack:
        area = stack.pop()
        if area.id not in ids:
            ids.add(area.id)
            stack.extend(area.children)
    return ids


def can_manage_area(user, area: Area) -> bool:
    """Tell whether the user manages this area: an administrator, or its coordinator (or above)."""
    if is_admin(user):
        return True
    if _role(user) != Role.COORDINATOR or area is None:
        return False
    scope = {a.id for a in user.coordinated_areas}
    return area.id in scope or any(a.id in scope for a in area.ancestors())


def can_edit_area_tree(user) -> bool:
    """Tell whether the user may import and edit areas and postcodes (administrators)."""
    return is_admin(user)


def can_create_plan(user) -> bool:
    """Tell whether the user may create an area plan for some area."""
    return is_admin(user) or _role(user) == Role.COORDINATOR


def can_edit_plan(user, plan: AreaPlan) -> bool:
    """Tell whether the user may edit (and adopt) this area plan."""
    return can_manage_area(user, plan.area)


def can_import_indicators(user) -> bool:
    """Tell whether the user may import area-monitor indicators (administrators)."""
    return is_admin(user)


def can_manage_users(user) -> bool:
    """Tell whether the user may change accounts and roles (administrators)."""
    return is_admin(user)


def can_change_user(user, target: User) -> bool:
    """Tell whether the user may change this account; nobody changes their own role."""
    return can_manage_users(user) and user.id != target.id


def can_view_audit_log(user) -> bool:
    """Tell whether the user may read the audit log (administrators)."""
    return is_admin(user)


def can_read_outbox(user) -> bool:
    """Tell whether the user may read the e-mail outbox (administrators)."""
    return is_admin(user)


def require(allowed: bool) -> None:
    """Stop the request with 403 Forbidden unless ``allowed``."""
    if not allowed:
        abort(403)


#: Exposed to Jinja, so templates ask exactly what views ask.
TEMPLATE_FUNCTIONS = {
    name: obj
    for name, obj in globals().items()
    if name.startswith(("can_", "is_")) and callable(obj)
}
