"""Read arguments: the idea page's section, the moderation queue, a resident's own data.

The section runs a fixed number of statements however many arguments an idea has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from buurtbegroting.arguments.services import is_open_for
from buurtbegroting.extensions import db
from buurtbegroting.models import Argument, ArgumentReport, HelpfulMark, Idea
from buurtbegroting.pagination import Page, paginate

#: The sort orders of the section, by the value of the ``sort`` parameter.
SORTS = ("new", "helpful")


@dataclass
class Section:
    """What the idea page shows of the arguments."""

    idea: Idea
    is_open: bool
    sort: str
    counts: dict[str, int]
    page: Page
    helpful: dict[int, int] = field(default_factory=dict)
    reply_counts: dict[int, int] = field(default_factory=dict)
    replies: dict[int, list] = field(default_factory=dict)
    marked: set[int] = field(default_factory=set)
    replied: set[int] = field(default_factory=set)
    #: The empty form to post an argument (set by the view).
    form: object = None


def _helpful_count():
    return (
        select(func.count(HelpfulMark.id))
        .where(HelpfulMark.argument_id == Argument.id)
        .correlate(Argument)
        .scalar_subquery()
    )


def section(idea: Idea, user, sort: str | None) -> Section:
    """Return the idea's arguments, one page of them, with counts, replies and the user's marks."""
    sort = sort if sort in SORTS else "new"
    counts = dict(
        db.session.execute(
            select(Argument.side, func.count(Argument.id))
            .where(
                Argument.idea_id == idea.id,
                Argument.parent_id.is_(None),
                Argument.hidden_at.is_(None),
            )
            .group_by(Argument.side)
        ).all()
    )
    helpful = _helpful_count().label("helpful")
    order = [Argument.created_at.desc(), Argument.id.desc()]
    if sort == "helpful":
        order.insert(0, helpful.desc())
    query = (
        select(Argument, helpful)
        .where(Argument.idea_id == idea.id, Argument.parent_id.is_(None))
        .options(joinedload(Argument.author))
        .order_by(*order)
    )
    page = paginate(query, per_page=current_app.config["ARGUMENTS_PER_PAGE"], scalars=False)
    result = Section(
        idea=idea,
        is_open=is_open_for(idea),
        sort=sort,
        counts={str(side.value): n for side, n in counts.items()},
        page=page,
    )
    result.helpful = {row[0].id: row[1] or 0 for row in page.items}
    page.items = [row[0] for row in page.items]
    ids = [a.id for a in page.items]
    if not ids:
        return result
    replies = db.session.scalars(
        select(Argument)
        .where(Argument.parent_id.in_(ids))
        .options(joinedload(Argument.author))
        .order_by(Argument.created_at, Argument.id)
    ).all()
    for row in replies:
        result.replies.setdefault(row.parent_id, []).append(row)
        if user is not None and user.is_authenticated and row.author_id == user.id:
            result.replied.add(row.parent_id)
    result.reply_counts = {k: len(v) for k, v in result.replies.items()}
    if user is not None and user.is_authenticated:
        result.marked = set(
            db.session.scalars(
                select(HelpfulMark.argument_id).where(
                    HelpfulMark.argument_id.in_(ids), HelpfulMark.user_id == user.id
                )
            )
        )
    return result


def queue(area_ids: set[int] | None, page: int | None = None) -> Page:
    """Return arguments with open reports, oldest report first, in the given areas (None: all)."""
    from buurtbegroting.models import Area

    open_reports = (
        select(
            ArgumentReport.argument_id,
            func.count(ArgumentReport.id).label("reports"),
            func.min(ArgumentReport.created_at).label("first"),
        )
        .where(ArgumentReport.closed_at.is_(None))
        .group_by(ArgumentReport.argument_id)
        .subquery()
    )
    idea = aliased(Idea)
    query = (
        select(Argument, open_reports.c.reports)
        .join(open_reports, open_reports.c.argument_id == Argument.id)
        .join(idea, idea.id == Argument.idea_id)
        .options(joinedload(Argument.idea).joinedload(Idea.area.of_type(Area)))
        .order_by(open_reports.c.first, Argument.id)
    )
    if area_ids is not None:
        query = query.where(idea.area_id.in_(area_ids or {-1}))
    return paginate(query, per_page=25, page=page, scalars=False)


def open_reports_of(argument: Argument) -> list[ArgumentReport]:
    """Return the open reports of an argument, oldest first."""
    return db.session.scalars(
        select(ArgumentReport)
        .where(ArgumentReport.argument_id == argument.id, ArgumentReport.closed_at.is_(None))
        .order_by(ArgumentReport.id)
    ).all()


def export_of(user) -> dict:
    """Return the user's arguments, replies, helpful marks and reports (for the data download)."""

    def iso(value):
        return value.isoformat() if value is not None else None

    written = db.session.scalars(
        select(Argument).where(Argument.author_id == user.id).order_by(Argument.id)
    ).all()
    marks = db.session.scalars(
        select(HelpfulMark).where(HelpfulMark.user_id == user.id).order_by(HelpfulMark.id)
    ).all()
    reports = db.session.scalars(
        select(ArgumentReport)
        .where(ArgumentReport.reporter_id == user.id)
        .order_by(ArgumentReport.id)
    ).all()
    return {
        "arguments": [
            {
                "id": a.id,
                "idea_id": a.idea_id,
                "reply_to": a.parent_id,
                "side": a.side.value if a.side else None,
                "text": a.body,
                "created_at": iso(a.created_at),
                "hidden_reason": a.hidden_reason.value if a.hidden_reason else None,
            }
            for a in written
        ],
        "helpful_marks": [
            {"argument_id": m.argument_id, "created_at": iso(m.created_at)} for m in marks
        ],
        "argument_reports": [
            {
                "argument_id": r.argument_id,
                "reason": r.reason.value,
                "text": r.text,
                "created_at": iso(r.created_at),
            }
            for r in reports
        ],
    }
