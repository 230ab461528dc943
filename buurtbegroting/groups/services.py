"""Thematic groups: start, change, join, leave, coordinate; council status and advice.

Services take explicit arguments, flush but never commit, and raise a
:class:`GroupError` (a DomainError) when a business rule refuses an action; the view
turns it into a message at the right field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.areas import selectable_areas
from buurtbegroting.domain import DomainError
from buurtbegroting.domain import areas as tree
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.domain.ideas import PRIVATE_STATUSES
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Advice,
    AdvicePosition,
    Area,
    AreaPlan,
    GroupMembership,
    Idea,
    MemberRole,
    PlanStatus,
    Spearhead,
    ThematicGroup,
    User,
)
from buurtbegroting.permissions import can_give_advice, is_group_ended
from buurtbegroting.public.services import current_plan

# --- errors ----------------------------------------------------------------------------


class GroupError(DomainError):
    """A business rule about groups refused the action; ``message`` is shown to the user."""

    message = _l("This is not possible.")
    #: The form field the message belongs to, or None for a message about the whole page.
    field: str | None = None

    def __str__(self) -> str:
        return str(self.message)


class SpearheadNotInPlan(GroupError):
    """The chosen spearhead is not part of the adopted plan that applies to the area."""

    message = _l(
        "This spearhead is not part of the area plan for the area you chose. "
        "Choose a spearhead of that plan, or your own theme."
    )
    field = "theme"


class FreeThemeMissing(GroupError):
    """A free theme was chosen without saying what it is."""

    message = _l("Describe your own theme in one line.")
    field = "free_theme"


class CouncilAreaLocked(GroupError):
    """A council's area is set by the municipality and cannot move."""

    message = _l(
        "This group is the neighbourhood or village council of its area. Its area cannot be changed. "
        "Ask the municipality."
    )
    field = "area_id"


class AlreadyMember(GroupError):
    """The user is a member already (for example: the join button was pressed twice)."""

    message = _l("You are already a member of this group.")


class GroupEnded(GroupError):
    """The group has ended; nobody can join it any more."""

    message = _l("This group has ended. You cannot join it any more.")


class NotAMember(GroupError):
    """The user is not a member, so cannot leave."""

    message = _l("You are not a member of this group.")


class LastCoordinator(GroupError):
    """The last coordinator tried to leave while others remain."""

    message = _l(
        "You are the only coordinator of this group. First make another member "
        "coordinator, then you can leave."
    )


class NoCoordinatorLeft(GroupError):
    """Removing this coordinator would leave the group without one."""

    message = _l("A group always needs a coordinator. First make another member coordinator.")


# --- reading ---------------------------------------------------------------------------


def all_areas() -> list[Area]:
    """Return every district and neighbourhood in code order (a group can be for any of them)."""
    return selectable_areas()


def list_groups(
    area_id: int | None, areas: list[Area], today: date | None = None
) -> list[ThematicGroup]:
    """Return the groups of an area and the areas below it (all groups without an area).

    Running groups come first, then ended ones; each by name. The number of SQL
    statements does not depend on the number of groups.
    """
    today = today or today_nl()
    query = select(ThematicGroup).options(
        selectinload(ThematicGroup.area),
        selectinload(ThematicGroup.spearhead),
        selectinload(ThematicGroup.memberships),
    )
    if area_id:
        query = query.where(
            ThematicGroup.area_id.in_(
                tree.subtree_ids(area_id, [(a.id, a.parent_id) for a in areas])
            )
        )
    groups = list(db.session.scalars(query))
    groups.sort(key=lambda g: (is_group_ended(g, today), g.name.casefold(), g.id))
    return groups


def load_group_page(group_id: int) -> ThematicGroup | None:
    """Return a group with what its page shows: members, ideas and advice."""
    return db.session.get(
        ThematicGroup,
        group_id,
        options=[
            selectinload(ThematicGroup.area),
            selectinload(ThematicGroup.spearhead),
            selectinload(ThematicGroup.memberships).selectinload(GroupMembership.user),
            selectinload(ThematicGroup.ideas).selectinload(Idea.area),
            selectinload(ThematicGroup.advices).selectinload(Advice.idea),
        ],
    )


def public_ideas(group: ThematicGroup) -> list[Idea]:
    """Return the group's ideas that everyone may see (no drafts, nothing withdrawn), newest first."""
    ideas = [idea for idea in group.ideas if idea.status not in PRIVATE_STATUSES]
    return sorted(ideas, key=lambda idea: idea.id, reverse=True)


def public_advices(group: ThematicGroup) -> list[Advice]:
    """Return the group's advice on ideas that everyone may see."""
    return [a for a in group.advices if a.idea.status not in PRIVATE_STATUSES]


def theme_plans(today: date | None = None) -> list[AreaPlan]:
    """Return, per area, the adopted plan that applies now (running, else the latest), with spearheads."""
    today = today or today_nl()
    plans = db.session.scalars(
        select(AreaPlan)
        .where(AreaPlan.status == PlanStatus.ADOPTED)
        .options(selectinload(AreaPlan.spearheads), selectinload(AreaPlan.area))
        .order_by(AreaPlan.period_start.desc(), AreaPlan.id.desc())
    ).all()
    chosen: dict[int, AreaPlan] = {}
    for plan in plans:
        running = plan.period_start <= today <= plan.period_end
        have = chosen.get(plan.area_id)
        if have is None or (running and not (have.period_start <= today <= have.period_end)):
            chosen[plan.area_id] = plan
    return sorted(chosen.values(), key=lambda p: p.area.code)


def membership_of(group: ThematicGroup, user: User) -> GroupMembership | None:
    """Return the user's membership of the group, if any."""
    return next((m for m in group.memberships if m.user_id == user.id), None)


def coordinator_count(group: ThematicGroup) -> int:
    """Return how many coordinators the group has."""
    return sum(1 for m in group.memberships if m.role == MemberRole.COORDINATOR)


def advice_groups(user: User, idea: Idea) -> list[ThematicGroup]:
    """Return the council groups the user coordinates that may advise on the idea."""
    if not getattr(user, "is_authenticated", False):
        return []
    groups = db.session.scalars(
        select(ThematicGroup)
        .join(GroupMembership)
        .where(
            ThematicGroup.is_council.is_(True),
            GroupMembership.user_id == user.id,
            GroupMembership.role == MemberRole.COORDINATOR,
        )
        .options(selectinload(ThematicGroup.memberships), selectinload(ThematicGroup.area))
        .order_by(ThematicGroup.name)
    ).all()
    return [g for g in groups if can_give_advice(user, g, idea)]


def advice_of(group: ThematicGroup, idea: Idea) -> Advice | None:
    """Return the group's advice on the idea, if it gave one."""
    return db.session.scalar(
        select(Advice).where(Advice.group_id == group.id, Advice.idea_id == idea.id)
    )


# --- writing ---------------------------------------------------------------------------


@dataclass
class GroupData:
    """What the group form collects, already checked for shape."""

    name: str
    area: Area
    spearhead: Spearhead | None
    free_theme: str | None
    description: str
    end_date: date | None


def _check_theme(data: GroupData, keep: Spearhead | None = None, today: date | None = None):
    """Refuse a spearhead outside the plan that applies to the area (``keep`` is the current one)."""
    if data.spearhead is None:
        if not (data.free_theme or "").strip():
            raise FreeThemeMissing()
        return
    if keep is not None and data.spearhead.id == keep.id:
        return
    plan = current_plan(data.area, today=today)
    if plan is None or data.spearhead.plan_id != plan.id:
        raise SpearheadNotInPlan()


def create_group(founder: User, data: GroupData, today: date | None = None) -> ThematicGroup:
    """Start a group; the founder becomes its coordinator. Flush only."""
    _check_theme(data, today=today)
    group = ThematicGroup(
        name=data.name,
        area=data.area,
        spearhead=data.spearhead,
        free_theme=None if data.spearhead else data.free_theme,
        description=data.description,
        end_date=data.end_date,
        is_council=False,
    )
    group.memberships = [GroupMembership(user=founder, role=MemberRole.COORDINATOR)]
    db.session.add(group)
    db.session.flush()
    return group


def update_group(
    group: ThematicGroup, editor: User, data: GroupData, today: date | None = None
) -> ThematicGroup:
    """Change a group's name, theme, area, description and end date. Flush only.

    An unchanged spearhead stays valid even when a newer plan has been adopted since.
    Changes by someone who does not coordinate the group (an administrator) are audited.
    """
    if group.is_council and data.area.id != group.area_id:
        raise CouncilAreaLocked()
    keep = group.spearhead if data.area.id == group.area_id else None
    _check_theme(data, keep=keep, today=today)
    before = audit.snapshot(group)
    group.name = data.name
    group.area = data.area
    group.spearhead = data.spearhead
    group.free_theme = None if data.spearhead else data.free_theme
    group.description = data.description
    group.end_date = data.end_date
    db.session.flush()
    if membership_of(group, editor) is None:
        old, new = audit.changes(before, audit.snapshot(group))
        if new:
            audit.record(editor, "group.update", group, summary=group.name, before=old, after=new)
    return group


def join_group(group: ThematicGroup, user: User, today: date | None = None) -> GroupMembership:
    """Make the user a member of the group. Flush only."""
    if membership_of(group, user) is not None:
        raise AlreadyMember()
    if is_group_ended(group, today):
        raise GroupEnded()
    membership = GroupMembership(group_id=group.id, user_id=user.id, role=MemberRole.MEMBER)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
            db.session.flush()
    except IntegrityError:
        # The same button pressed twice at the same moment: the other request joined.
        raise AlreadyMember() from None
    db.session.expire(group, ["memberships"])
    return membership


def leave_group(group: ThematicGroup, user: User, today: date | None = None) -> bool:
    """Take the user out of the group. Flush only.

    The last coordinator cannot leave while others remain. When the last member
    leaves, the group ends (its end date becomes today at the latest) and stays
    visible, so ideas submitted for it keep their "by <group>". Return whether the
    group ended.
    """
    today = today or today_nl()
    membership = membership_of(group, user)
    if membership is None:
        raise NotAMember()
    others = [m for m in group.memberships if m.id != membership.id]
    if (
        membership.role == MemberRole.COORDINATOR
        and others
        and not any(m.role == MemberRole.COORDINATOR for m in others)
    ):
        raise LastCoordinator()
    group.memberships.remove(membership)
    if not others and (group.end_date is None or group.end_date > today):
        group.end_date = today
    db.session.flush()
    return not others


def set_role(
    group: ThematicGroup, membership: GroupMembership, role: MemberRole, actor: User
) -> GroupMembership:
    """Appoint a member as coordinator or make a coordinator a plain member again. Flush only."""
    if membership.role == role:
        return membership
    if role == MemberRole.MEMBER and coordinator_count(group) <= 1:
        raise NoCoordinatorLeft()
    before = membership.role
    membership.role = role
    db.session.flush()
    if membership_of(group, actor) is None:
        audit.record(
            actor,
            "group.role",
            membership,
            summary=f"{group.name}: {membership.user.display_name}",
            before={"role": before.value},
            after={"role": role.value},
        )
    return membership


def set_council(group: ThematicGroup, actor: User, is_council: bool) -> bool:
    """Mark the group as its area's neighbourhood or village council, or unmark it; audited.

    Advice given while the group was a council stays. Return whether anything changed.
    """
    if group.is_council == is_council:
        return False
    group.is_council = is_council
    db.session.flush()
    audit.record(
        actor,
        "group.council" if is_council else "group.not_council",
        group,
        summary=f"{group.name} ({group.area.name})",
        before={"is_council": not is_council},
        after={"is_council": is_council},
    )
    return True


def give_advice(
    group: ThematicGroup, idea: Idea, author: User, position: AdvicePosition, text: str
) -> tuple[Advice, bool]:
    """Store the council's one advice on the idea, or change it. Flush only.

    Return the advice and whether it is new.
    """
    advice = advice_of(group, idea)
    if advice is None:
        advice = Advice(
            group_id=group.id, idea_id=idea.id, author_id=author.id, position=position, text=text
        )
        try:
            with db.session.begin_nested():
                db.session.add(advice)
                db.session.flush()
        except IntegrityError:
            # Sent twice at the same moment: change the advice the other request stored.
            advice = advice_of(group, idea)
            if advice is None:
                raise
        else:
            return advice, True
    advice.position = position
    advice.text = text
    advice.author_id = author.id
    db.session.flush()
    return advice, False
