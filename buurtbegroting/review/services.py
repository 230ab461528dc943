"""Review services: the queue, the assessment and the decision."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.domain.ideas import REVIEWABLE_STATUSES, cost_warnings
from buurtbegroting.extensions import db
from buurtbegroting.ideas import services as idea_services
from buurtbegroting.models import Destination, Idea, IdeaStatus, Support, User
from buurtbegroting.permissions import managed_area_ids


@dataclass
class QueueItem:
    """An idea in the queue, with what the reviewer should know at a glance."""

    idea: Idea
    supports: int
    needed_supports: int
    warnings: list[str]

    @property
    def waiting_for_supports(self) -> bool:
        """Tell whether the idea still collects supports before it can be reviewed."""
        return self.supports < self.needed_supports


def queue(user: User) -> list[QueueItem]:
    """Return the submitted and in-review ideas the user may review, oldest first."""
    counts = (
        select(Support.idea_id, func.count(Support.id).label("n"))
        .group_by(Support.idea_id)
        .subquery()
    )
    query = (
        select(Idea, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.idea_id == Idea.id)
        .where(Idea.status.in_(REVIEWABLE_STATUSES))
        .order_by(Idea.submitted_at, Idea.id)
        .options(
            selectinload(Idea.area),
            selectinload(Idea.author),
            selectinload(Idea.group),
            selectinload(Idea.cost_lines),
            selectinload(Idea.advices),
        )
    )
    scope = managed_area_ids(user)
    if scope is not None and user.role == "coordinator":
        query = query.where(Idea.area_id.in_(scope or {-1}))
    items = []
    for idea, supports in db.session.execute(query).all():
        needed = idea_services.destination_rules(idea.destination).min_supports
        warnings = [
            code for _, code in cost_warnings([(c.item, c.amount_cents) for c in idea.cost_lines])
        ]
        items.append(QueueItem(idea, supports, needed, sorted(set(warnings))))
    return items


def warnings_for(idea: Idea) -> list[tuple[int, str]]:
    """Return (line index, warning code) for the idea's cost lines."""
    return cost_warnings([(c.item, c.amount_cents) for c in idea.cost_lines])


def start_review(idea: Idea, actor: User) -> None:
    """Mark a submitted idea as being checked."""
    idea_services.change_status(idea, IdeaStatus.IN_REVIEW, actor)
    audit.record(actor, "idea.review_started", idea, summary=idea.title)


def save_assessment(
    idea: Idea,
    actor: User,
    *,
    feasibility_note: str | None,
    adjusted_cost_cents: int | None,
    adjusted_cost_reason: str | None,
    spearhead_ids: list[int],
) -> None:
    """Store the reviewer's assessment: feasibility, adjusted cost with reason, spearheads."""
    if idea.status not in REVIEWABLE_STATUSES:
        raise idea_services.IdeaRefused([_l("This idea is not waiting for a review.")])
    before = {
        "feasibility_note": idea.feasibility_note,
        "adjusted_cost_cents": idea.adjusted_cost_cents,
        "adjusted_cost_reason": idea.adjusted_cost_reason,
        "spearheads": sorted(s.id for s in idea.spearheads),
    }
    allowed = {s.id: s for s in idea_services.spearheads_for(idea.area)}
    if any(i not in allowed for i in spearhead_ids):
        raise idea_services.IdeaRefused([_l("Choose spearheads from the list of this area.")])
    if spearhead_ids:
        idea.spearheads = [allowed[i] for i in spearhead_ids]
    idea.feasibility_note = feasibility_note or None
    idea.adjusted_cost_cents = adjusted_cost_cents
    idea.adjusted_cost_reason = (
        (adjusted_cost_reason or None) if adjusted_cost_cents is not None else None
    )
    after = {
        "feasibility_note": idea.feasibility_note,
        "adjusted_cost_cents": idea.adjusted_cost_cents,
        "adjusted_cost_reason": idea.adjusted_cost_reason,
        "spearheads": sorted(s.id for s in idea.spearheads),
    }
    old, new = audit.changes(before, after)
    if new:
        audit.record(actor, "idea.assessment", idea, summary=idea.title, before=old, after=new)
    db.session.flush()


def decide(idea: Idea, actor: User, decision: str, message: str, supports: int) -> None:
    """Accept the idea (for a vote or for cheques), ask for changes, or reject it."""
    if decision.startswith("accept_"):
        destination = Destination(decision.removeprefix("accept_"))
        needed = idea_services.destination_rules(destination).min_supports
        if supports < needed:
            raise idea_services.IdeaRefused(
                [_l("This idea needs %(num)d supporters before it can be accepted.", num=needed)]
            )
        if destination == Destination.CHEQUES:
            from buurtbegroting.cheques.services import check_acceptance

            check_acceptance(idea)  # raises IdeaRefused: target, date, 3 organisers
        before = idea.destination.value
        idea.destination = destination
        idea_services.change_status(idea, IdeaStatus.ACCEPTED, actor, message)
        audit.record(
            actor,
            "idea.accepted",
            idea,
            summary=idea.title,
            before={"status": "review", "destination": before},
            after={"status": "accepted", "destination": destination.value},
        )
    elif decision == "changes":
        idea_services.change_status(idea, IdeaStatus.CHANGES_REQUESTED, actor, message)
        audit.record(
            actor, "idea.changes_requested", idea, summary=idea.title, after={"message": message}
        )
    elif decision == "reject":
        idea_services.change_status(idea, IdeaStatus.REJECTED, actor, message)
        audit.record(actor, "idea.rejected", idea, summary=idea.title, after={"reason": message})
    else:
        raise idea_services.IdeaRefused([_l("Choose a decision.")])
