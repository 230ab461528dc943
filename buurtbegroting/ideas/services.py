"""Idea services: drafts, steps, photos, submission, status changes, supports, search."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from buurtbegroting.domain import DomainError
from buurtbegroting.domain import ideas as rules
from buurtbegroting.extensions import db
from buurtbegroting.images import ProcessedImage
from buurtbegroting.mail import send_mail
from buurtbegroting.models import (
    Area,
    AreaLevel,
    CostLine,
    Destination,
    GroupMembership,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    IdeaStatusChange,
    MemberRole,
    Spearhead,
    Support,
    ThematicGroup,
    User,
    utcnow,
)
from buurtbegroting.photos import FileChanges, upload_folder
from buurtbegroting.public.services import current_plan
from buurtbegroting.templating import format_cents
from buurtbegroting.urls import external_url

PUBLIC_STATUSES = [s for s in IdeaStatus if s not in (IdeaStatus.DRAFT, IdeaStatus.WITHDRAWN)]


class IdeaRefused(DomainError):
    """A rule refused the action; ``messages`` are translated, ready to show."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)


# --- choices -------------------------------------------------------------------------------


def area_choices() -> list[Area]:
    """Return districts and their neighbourhoods in code order (what an idea can be for)."""
    return list(
        db.session.scalars(
            select(Area).where(Area.level != AreaLevel.MUNICIPALITY).order_by(Area.code)
        )
    )


def coordinated_groups(user: User) -> list[ThematicGroup]:
    """Return the running groups the user coordinates."""
    today = date.today()
    return list(
        db.session.scalars(
            select(ThematicGroup)
            .join(GroupMembership)
            .where(
                GroupMembership.user_id == user.id,
                GroupMembership.role == MemberRole.COORDINATOR,
                or_(ThematicGroup.end_date.is_(None), ThematicGroup.end_date >= today),
            )
            .order_by(ThematicGroup.name)
        )
    )


def spearheads_for(area: Area) -> list[Spearhead]:
    """Return the spearheads of the adopted plan that applies to the area."""
    plan = current_plan(area)
    return list(plan.spearheads) if plan else []


# --- drafts and steps ----------------------------------------------------------------------


def new_submission_key() -> str:
    """Return a random key that makes a form sent twice create one idea."""
    return secrets.token_urlsafe(24)


def create_draft(
    author: User,
    *,
    title: str,
    summary: str,
    description: str,
    area: Area,
    group: ThematicGroup | None,
    submission_key: str | None,
) -> tuple[Idea, bool]:
    """Create a draft idea; return (idea, created). A repeated submission key returns the first idea."""
    if submission_key:
        existing = db.session.scalar(select(Idea).where(Idea.submission_key == submission_key))
        if existing is not None:
            return existing, False
    idea = Idea(
        title=title,
        summary=summary,
        description=description or "",
        area_id=area.id,
        author_id=author.id,
        group_id=group.id if group else None,
        status=IdeaStatus.DRAFT,
        submission_key=submission_key or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(idea)
            db.session.flush()
    except IntegrityError:
        # The same form arrived twice at the same moment: the other request made the idea.
        existing = db.session.scalar(select(Idea).where(Idea.submission_key == submission_key))
        if existing is None:
            raise
        return existing, False
    db.session.add(
        IdeaStatusChange(
            idea=idea, actor_id=author.id, from_status=None, to_status=IdeaStatus.DRAFT
        )
    )
    db.session.flush()
    return idea, True


def update_basics(
    idea: Idea,
    *,
    title: str,
    summary: str,
    description: str,
    area: Area,
    group: ThematicGroup | None,
) -> None:
    """Change what the idea is and where; spearheads of another area's plan are dropped."""
    idea.title, idea.summary, idea.description = title, summary, description or ""
    if area.id != idea.area_id:
        idea.area = area
        allowed = {s.id for s in spearheads_for(area)}
        idea.spearheads = [s for s in idea.spearheads if s.id in allowed]
    idea.group = group
    db.session.flush()


def update_theme(idea: Idea, spearhead_ids: list[int], own_theme: str | None) -> None:
    """Link the idea to spearheads of its area's plan, or to an own theme."""
    allowed = {s.id: s for s in spearheads_for(idea.area)}
    unknown = [i for i in spearhead_ids if i not in allowed]
    if unknown:
        raise IdeaRefused([_l("Choose spearheads from the list of this area.")])
    idea.spearheads = [allowed[i] for i in spearhead_ids]
    idea.own_theme = (own_theme or "").strip() or None
    db.session.flush()


def update_costs(idea: Idea, destination: str, lines: list[tuple[str, int]]) -> None:
    """Replace the cost lines and the destination."""
    idea.destination = Destination(destination)
    idea.cost_lines = [
        CostLine(item=item, amount_cents=cents, position=i) for i, (item, cents) in enumerate(lines)
    ]
    db.session.flush()


def photo_folder() -> Path:
    """Return the folder where photos of ideas are kept (made when missing)."""
    return upload_folder("ideas")


def update_photos_and_people(
    idea: Idea,
    *,
    new_photos: list[ProcessedImage],
    remove_ids: list[int],
    location_text: str | None,
    people_involved: str | None,
) -> FileChanges:
    """Add and remove photos, set location and people; write the files, flush the rows.

    The caller commits, then calls ``delete_replaced()``; if the commit fails it calls
    ``discard_written()`` so that nothing is left half-written on disk.
    """
    keep = [p for p in idea.photos if p.id not in set(remove_ids)]
    limit = current_app.config["PHOTO_MAX_COUNT"]
    if len(keep) + len(new_photos) > limit:
        raise IdeaRefused(
            [_l("An idea can have at most %(num)d photos. Remove a photo first.", num=limit)]
        )
    folder = photo_folder()
    changes = FileChanges()
    removed = [p for p in idea.photos if p.id in set(remove_ids)]
    try:
        for processed in new_photos:
            filename = changes.write_photo(folder, processed)
            keep.append(
                IdeaPhoto(filename=filename, width=processed.width, height=processed.height)
            )
        for position, photo in enumerate(keep):
            photo.position = position
        idea.photos = keep
        idea.location_text = location_text or None
        idea.people_involved = people_involved or None
        db.session.flush()
    except Exception:
        changes.discard_written()
        raise
    for photo in removed:
        changes.delete_photo(folder, photo.filename)
    return changes


# --- submission and status -----------------------------------------------------------------


def destination_rules(destination: Destination) -> rules.DestinationRules:
    """Return the municipality's rules for a destination."""
    return rules.DestinationRules(**current_app.config["IDEA_RULES"][destination.value])


def problem_messages(problems: list[rules.Problem]) -> list:
    """Translate submission problems into sentences."""
    messages = []
    for problem in problems:
        if problem.code == "text_missing":
            messages.append(_l("Give your idea a title and a summary (step 1)."))
        elif problem.code == "theme_missing":
            messages.append(
                _l("Choose at least one spearhead, or describe your own theme (step 2).")
            )
        elif problem.code == "costs_missing":
            messages.append(_l("Add at least one cost line (step 3)."))
        elif problem.code == "below_minimum":
            messages.append(
                _l(
                    "Ideas for this kind of funding cost at least %(minimum)s. Yours costs %(total)s (step 3).",
                    minimum=format_cents(problem.params["minimum"]),
                    total=format_cents(problem.params["total"]),
                )
            )
        elif problem.code == "above_maximum":
            messages.append(
                _l(
                    "Ideas for this kind of funding cost at most %(maximum)s. Yours costs %(total)s (step 3).",
                    maximum=format_cents(problem.params["maximum"]),
                    total=format_cents(problem.params["total"]),
                )
            )
    return messages


def submission_problems(idea: Idea) -> list:
    """Return the translated reasons why the idea cannot be submitted yet."""
    found = rules.submission_problems(
        title=idea.title,
        summary=idea.summary,
        has_theme=bool(idea.spearheads) or bool(idea.own_theme),
        cost_lines=len(idea.cost_lines),
        total_cents=idea.requested_cents,
        rules=destination_rules(idea.destination),
    )
    return problem_messages(found)


def change_status(
    idea: Idea, target: IdeaStatus, actor: User | None, message: str = "", notify: bool = True
) -> None:
    """Move the idea to a new status, record it in the timeline, and e-mail the author."""
    try:
        rules.check_transition(idea.status.value, target.value, message)
    except rules.MessageRequired:
        raise IdeaRefused([_l("Write a message for the author.")]) from None
    except rules.InvalidTransition:
        raise IdeaRefused([_l("This is not possible in the idea's current status.")]) from None
    previous = idea.status
    idea.status = target
    if target == IdeaStatus.SUBMITTED:
        idea.submitted_at = utcnow()
    db.session.add(
        IdeaStatusChange(
            idea=idea,
            actor_id=actor.id if actor else None,
            from_status=previous,
            to_status=target,
            message=message.strip(),
        )
    )
    db.session.flush()
    if notify:
        from buurtbegroting.ideas.labels import STATUS_LABELS

        author = idea.author
        send_mail(
            author.email,
            _l("Your idea: %(title)s", title=idea.title),
            "idea_status",
            locale=author.locale,
            user=author,
            idea=idea,
            status_label=STATUS_LABELS[target],
            message=message.strip(),
            url=external_url("ideas.show", idea_id=idea.id),
        )


def submit(idea: Idea, actor: User) -> None:
    """Submit a draft (or a changed idea) after checking the municipality's rules."""
    problems = submission_problems(idea)
    if problems:
        raise IdeaRefused(problems)
    change_status(idea, IdeaStatus.SUBMITTED, actor)


def withdraw(idea: Idea, actor: User) -> None:
    """Withdraw the idea."""
    change_status(idea, IdeaStatus.WITHDRAWN, actor)


# --- supports ------------------------------------------------------------------------------


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


# --- browsing ------------------------------------------------------------------------------


@dataclass
class IdeaPage:
    """One page of search results."""

    items: list[Idea]
    support_counts: dict[int, int]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Return the number of pages."""
        return max(1, math.ceil(self.total / self.per_page))


def _with_descendants(area_id: int) -> Select:
    parent = select(Area.id).where(Area.parent_id == area_id)
    return select(Area.id).where(
        or_(Area.id == area_id, Area.id.in_(parent), Area.parent_id.in_(parent))
    )


def search(
    *,
    q: str | None = None,
    area_id: int | None = None,
    spearhead_id: int | None = None,
    status: str | None = None,
    sort: str = "new",
    page: int = 1,
    per_page: int = 20,
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
        conditions.append(Idea.area_id.in_(_with_descendants(area_id)))
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
                selectinload(Idea.area), selectinload(Idea.cost_lines), selectinload(Idea.group)
            )
        )
    )
