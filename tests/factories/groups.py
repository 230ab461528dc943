"""Thematic groups with a coordinator and members."""

from __future__ import annotations

from buurtbegroting.extensions import db
from buurtbegroting.models import Area, User
from tests.factories.areas import make_district
from tests.factories.sequence import seq as _seq
from tests.factories.users import make_user


def make_group(area: Area | None = None, coordinator: User | None = None, members=(), **overrides):
    """Make a thematic group with a coordinator (and members)."""
    from buurtbegroting.models import GroupMembership, MemberRole, ThematicGroup

    area = area or make_district()
    coordinator = coordinator or make_user()
    n = next(_seq)
    fields = {
        "name": f"Groep {n}",
        "free_theme": "Samen groen",
        "description": "Wij maken de buurt groener.",
    }
    fields.update(overrides)
    group = ThematicGroup(area=area, **fields)
    group.memberships = [GroupMembership(user=coordinator, role=MemberRole.COORDINATOR)] + [
        GroupMembership(user=m, role=MemberRole.MEMBER) for m in members
    ]
    db.session.add(group)
    db.session.flush()
    return group
