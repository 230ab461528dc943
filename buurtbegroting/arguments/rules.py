"""Who may moderate arguments: administrators, and coordinators for their areas."""

from __future__ import annotations

from buurtbegroting.models import Role
from buurtbegroting.permissions import can_manage_area, is_admin


def can_moderate_arguments(user) -> bool:
    """Tell whether the user may open the moderation queue (coordinators, administrators)."""
    if is_admin(user):
        return True
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.COORDINATOR
    )


def can_moderate_argument(user, argument) -> bool:
    """Tell whether the user may hide or keep this argument (its idea's area)."""
    return can_moderate_arguments(user) and can_manage_area(user, argument.idea.area)
