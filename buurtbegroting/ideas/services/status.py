"""Submitting an idea, and every change of its status (with the author told)."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from buurtbegroting.domain import ideas as rules
from buurtbegroting.extensions import db
from buurtbegroting.follows.notify import notify as tell_followers
from buurtbegroting.follows.services import follow
from buurtbegroting.ideas.services.drafts import IdeaRefused
from buurtbegroting.mail import send_mail
from buurtbegroting.models import (
    Destination,
    FollowEvent,
    FollowTarget,
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    User,
    utcnow,
)
from buurtbegroting.templating import format_cents
from buurtbegroting.urls import external_url


def destination_rules(destination: Destination) -> rules.DestinationRules:
    """Return the municipality's rules for a destination."""
    return rules.DestinationRules(**current_app.config["IDEA_RULES"][destination.value])


def problem_messages(problems: list[rules.Problem]) -> list:
    """Translate submission problems into sentences."""
    return [
        SUBMISSION_MESSAGES[p.code](p.params) for p in problems if p.code in SUBMISSION_MESSAGES
    ]


#: The sentence for each problem code of a submission check, given its params.
SUBMISSION_MESSAGES = {
    "text_missing": lambda params: _l("Give your idea a title and a summary (step 1)."),
    "theme_missing": lambda params: _l(
        "Choose at least one spearhead, or describe your own theme (step 2)."
    ),
    "costs_missing": lambda params: _l("Add at least one cost line (step 3)."),
    "below_minimum": lambda params: _l(
        "Ideas for this kind of funding cost at least %(minimum)s. Yours costs %(total)s (step 3).",
        minimum=format_cents(params["minimum"]),
        total=format_cents(params["total"]),
    ),
    "above_maximum": lambda params: _l(
        "Ideas for this kind of funding cost at most %(maximum)s. Yours costs %(total)s (step 3).",
        maximum=format_cents(params["maximum"]),
        total=format_cents(params["total"]),
    ),
}


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
    tell_followers(FollowEvent.STATUS, idea, actor)
    if notify and idea.author.is_active:
        # A deleted account's ideas belong to an inactive stand-in without a mailbox.
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
    from buurtbegroting.auth.services import NOT_VERIFIED

    if not actor.is_verified:
        raise IdeaRefused([NOT_VERIFIED])
    problems = submission_problems(idea)
    if problems:
        raise IdeaRefused(problems)
    change_status(idea, IdeaStatus.SUBMITTED, actor)
    if actor.id == idea.author_id:
        follow(actor, FollowTarget.IDEA, idea.id)


def withdraw(idea: Idea, actor: User) -> None:
    """Withdraw the idea."""
    change_status(idea, IdeaStatus.WITHDRAWN, actor)
