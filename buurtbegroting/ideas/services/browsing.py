"""Supports, and browsing and searching ideas (a fixed number of queries per page)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from buurtbegroting.areas import subtree_select
from buurtbegroting.extensions import db
from buurtbegroting.ideas.services.drafts import PUBLIC_STATUSES
from buurtbegroting.models import (
    GroupMembership,
    Idea,
    IdeaStatus,
    MemberRole,
    Spearhead,
    Support,
    ThematicGroup,
    User,
)
from buurtbegroting.pagination import Page


def support_count(idea: Idea) -> int:
    """Return how many residents support the idea."""
    return db.session.scalar(select(func.count(Support.id)).where(Support.idea_id == idea.id)) or 0


def supports(user: User | None, idea: Idea) -> bool:
    """Tell whether the user supports the idea."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Support.id).where(Support.idea_id == idea.id, Support.user_id == user.id)
        )
        is not None
    )


def set_support(idea: Idea, user: User, wanted: bool) -> None:
    """Add or withdraw the user's support; doing it twice changes nothing."""
    existing = db.session.scalar(
        select(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
    )
    if wanted and existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(Support(idea_id=idea.id, user_id=user.id))
                db.session.flush()
        except IntegrityError:
            pass  # a second click at the same moment: the support is there
    elif not wanted and existing is not None:
        db.session.delete(existing)
        db.session.flush()


@dataclass
class IdeaPage(Page):
    """One page of search results, with the number of supports of each idea."""

    support_counts: dict[int, int] = field(default_factory=dict)


def search(
    *,
    q: str | None = None,
    area_id: int | None = None,
    spearhead_id: int | None = None,
    status: str | None = None,
    sort: str = "new",
    page: int = 1,
    per_page: int = 20,
    located: bool = False,
) -> IdeaPage:
    """Return public ideas matching the filters, newest or most supported first, one page of them."""
    counts = (
        select(Support.idea_id, func.count(Support.id).label("n"))
        .group_by(Support.idea_id)
        .subquery()
    )
    conditions = [Idea.status.in_(PUBLIC_STATUSES)]
    if q:
        # The search text is taken literally: % and _ are no wildcards.
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        conditions.append(
            or_(
                func.lower(Idea.title).like(like, escape="\\"),
                func.lower(Idea.summary).like(like, escape="\\"),
            )
        )
    if area_id:
        conditions.append(Idea.area_id.in_(subtree_select(area_id)))
    if located:
        conditions.append(Idea.latitude.is_not(None))
    if spearhead_id:
        conditions.append(Idea.spearheads.any(Spearhead.id == spearhead_id))
    if status and status in {s.value for s in PUBLIC_STATUSES}:
        conditions.append(Idea.status == IdeaStatus(status))
    total = db.session.scalar(select(func.count(Idea.id)).where(*conditions)) or 0
    supported = func.coalesce(counts.c.n, 0)
    order = [supported.desc(), Idea.id.desc()] if sort == "support" else [Idea.id.desc()]
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    rows = db.session.execute(
        select(Idea, supported)
        .outerjoin(counts, counts.c.idea_id == Idea.id)
        .where(*conditions)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .options(
            selectinload(Idea.area),
            selectinload(Idea.author),
            selectinload(Idea.group),
            selectinload(Idea.spearheads),
            selectinload(Idea.photos),
            selectinload(Idea.cost_lines),
        )
    ).all()
    return IdeaPage(
        items=[row[0] for row in rows],
        support_counts={row[0].id: row[1] for row in rows},
        total=total,
        page=page,
        per_page=per_page,
    )


def filter_spearheads() -> list[Spearhead]:
    """Return the spearheads of adopted plans, for the search filter."""
    from buurtbegroting.models import AreaPlan, PlanStatus

    return list(
        db.session.scalars(
            select(Spearhead)
            .join(AreaPlan)
            .where(AreaPlan.status == PlanStatus.ADOPTED)
            .order_by(AreaPlan.area_id, Spearhead.position)
            .options(selectinload(Spearhead.plan).selectinload(AreaPlan.area))
        )
    )


def ideas_of(user: User) -> list[Idea]:
    """Return the ideas the user wrote or may speak for through a group, newest first."""
    group_ids = select(GroupMembership.group_id).where(
        GroupMembership.user_id == user.id, GroupMembership.role == MemberRole.COORDINATOR
    )
    return list(
        db.session.scalars(
            select(Idea)
            .where(or_(Idea.author_id == user.id, Idea.group_id.in_(group_ids)))
            .order_by(Idea.id.desc())
            .options(
                selectinload(Idea.area),
                selectinload(Idea.cost_lines),
                selectinload(Idea.group).selectinload(ThematicGroup.memberships),
            )
        )
    )
