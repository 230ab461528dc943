"""Drafts and the steps of an idea: choices, the idea, its theme, costs, photos and people."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from buurtbegroting.areas import selectable_areas
from buurtbegroting.domain import ActionRefused
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.domain.ideas import (
    PUBLIC_STATUSES,  # noqa: F401
    SecondLanguage,
)
from buurtbegroting.extensions import db
from buurtbegroting.images import ProcessedImage
from buurtbegroting.models import (
    Area,
    CostLine,
    Destination,
    GroupMembership,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    IdeaStatusChange,
    MemberRole,
    Spearhead,
    ThematicGroup,
    User,
)
from buurtbegroting.photos import FileChanges, upload_folder
from buurtbegroting.public.services import current_plan


class IdeaRefused(ActionRefused):
    """A rule refused the action; ``messages`` are translated, ready to show."""


def area_choices() -> list[Area]:
    """Return districts and their neighbourhoods in code order (what an idea can be for)."""
    return selectable_areas()


def coordinated_groups(user: User) -> list[ThematicGroup]:
    """Return the running groups the user coordinates."""
    today = today_nl()
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
    second: SecondLanguage | None = None,
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
    set_second_language(idea, second)
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
    second: SecondLanguage | None = None,
) -> None:
    """Change what the idea is and where; spearheads of another area's plan are dropped."""
    idea.title, idea.summary, idea.description = title, summary, description or ""
    set_second_language(idea, second)
    if area.id != idea.area_id:
        idea.area = area
        allowed = {s.id for s in spearheads_for(area)}
        idea.spearheads = [s for s in idea.spearheads if s.id in allowed]
    idea.group = group
    db.session.flush()


def set_second_language(idea: Idea, second: SecondLanguage | None) -> None:
    """Store the author's own translation, or clear it (None)."""
    idea.second_language = second.language if second else None
    idea.second_title = second.title if second else None
    idea.second_summary = second.summary if second else None
    idea.second_description = (second.description or None) if second else None


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
    spot: tuple[float, float] | None = None,
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
    with changes.undo_on_error():
        for processed in new_photos:
            filename = changes.write_photo(folder, processed)
            keep.append(
                IdeaPhoto(filename=filename, width=processed.width, height=processed.height)
            )
        for position, photo in enumerate(keep):
            photo.position = position
        idea.photos = keep
        idea.location_text = location_text or None
        idea.latitude, idea.longitude = spot or (None, None)
        idea.people_involved = people_involved or None
        db.session.flush()
    for photo in removed:
        changes.delete_photo(folder, photo.filename)
    return changes
