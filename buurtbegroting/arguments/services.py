"""Post, reply, mark helpful, report and moderate arguments; flush only, the caller commits."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from buurtbegroting import audit
from buurtbegroting.arguments.labels import REASON_LABELS
from buurtbegroting.domain import DomainError
from buurtbegroting.domain.arguments import ArgumentSide, ReportReason, is_open, wait_seconds
from buurtbegroting.extensions import db
from buurtbegroting.mail.outbox import send_mail
from buurtbegroting.models import (
    Argument,
    ArgumentReport,
    BallotItem,
    BudgetRound,
    HelpfulMark,
    Idea,
    RoundArea,
    User,
    utcnow,
)
from buurtbegroting.urls import external_url


class ArgumentRefused(DomainError):
    """A rule refused the act; ``messages`` say why, ``status`` is the HTTP answer."""

    def __init__(self, message, status: int = 409, wait: int | None = None):
        super().__init__([message])
        self.messages = [message]
        self.status = status
        self.wait = wait


CLOSED = _l("Arguments are closed for this idea.")
HIDDEN = _l("This argument was hidden by the moderator.")


def voting_started(idea: Idea) -> bool:
    """Tell whether the idea is on a ballot of a round whose voting has started."""
    started = (
        select(BallotItem.id)
        .join(RoundArea, RoundArea.id == BallotItem.round_area_id)
        .join(BudgetRound, BudgetRound.id == RoundArea.round_id)
        .where(
            BallotItem.idea_id == idea.id,
            (BudgetRound.voting_opens_at <= utcnow()) | BudgetRound.closed_at.is_not(None),
        )
    )
    return bool(db.session.scalar(select(exists(started))))


def is_open_for(idea: Idea) -> bool:
    """Tell whether the idea takes new arguments, replies and helpful marks now."""
    return is_open(idea.status, voting_started(idea))


def _check_author(idea: Idea, user: User) -> None:
    from buurtbegroting.auth.services import NOT_VERIFIED

    if not user.is_verified:
        raise ArgumentRefused(NOT_VERIFIED, 403)
    if not is_open_for(idea):
        raise ArgumentRefused(CLOSED, 409)
    _check_rate("arguments", user)


#: Per account: (its rows, their creation time, the setting, the window, the message).
RATES = {
    "arguments": (
        Argument.author_id,
        Argument.created_at,
        "ARGUMENTS_PER_HOUR",
        timedelta(hours=1),
        _l("You have posted many arguments in the last hour."),
    ),
    "reports": (
        ArgumentReport.reporter_id,
        ArgumentReport.created_at,
        "REPORTS_PER_DAY",
        timedelta(days=1),
        _l("You have sent many reports today."),
    ),
}


def _check_rate(kind: str, user: User) -> None:
    """Refuse with 429 when the account reached the limit of ``kind`` (counted in the database)."""
    owner, column, setting, window, message = RATES[kind]
    limit = current_app.config[setting]
    now = utcnow()
    count, oldest = db.session.execute(
        select(func.count(), func.min(column)).where(owner == user.id, column > now - window)
    ).one()
    if count >= limit:
        age = (now - oldest).total_seconds() if oldest else 0
        raise ArgumentRefused(message, 429, wait_seconds(age, int(window.total_seconds())))


def _add_once(row, duplicate=None) -> None:
    """Add a row that a unique constraint allows once; refuse a second with ``duplicate``."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        if duplicate is not None:
            raise ArgumentRefused(duplicate, 409) from None


def post_argument(idea: Idea, author: User, side: ArgumentSide, body: str) -> Argument:
    """Post an argument for or against the idea."""
    _check_author(idea, author)
    argument = Argument(idea=idea, author_id=author.id, side=ArgumentSide(side), body=body)
    db.session.add(argument)
    db.session.flush()
    return argument


def reply(parent: Argument, author: User, body: str) -> Argument:
    """Reply to an argument, once per account; replies cannot be replied to."""
    if parent.parent_id is not None:
        raise ArgumentRefused(_l("You can only reply to an argument, not to a reply."), 400)
    if parent.is_hidden:
        raise ArgumentRefused(HIDDEN, 409)
    _check_author(parent.idea, author)
    row = Argument(idea_id=parent.idea_id, author_id=author.id, parent_id=parent.id, body=body)
    _add_once(row, _l("You have already replied to this argument."))
    return row


def set_helpful(argument: Argument, user: User, wanted: bool) -> None:
    """Mark the argument helpful for the user, or take the mark back."""
    if argument.author_id == user.id:
        raise ArgumentRefused(_l("You cannot mark your own argument as helpful."), 403)
    if argument.parent_id is not None:
        raise ArgumentRefused(_l("Only arguments can be marked helpful, not replies."), 400)
    if argument.is_hidden:
        raise ArgumentRefused(HIDDEN, 409)
    if not is_open_for(argument.idea):
        raise ArgumentRefused(CLOSED, 409)
    mark = db.session.scalar(
        select(HelpfulMark).where(
            HelpfulMark.argument_id == argument.id, HelpfulMark.user_id == user.id
        )
    )
    if wanted and mark is None:
        # Marked in another request at the same moment: the mark is there, nothing to say.
        _add_once(HelpfulMark(argument_id=argument.id, user_id=user.id))
    elif not wanted and mark is not None:
        db.session.delete(mark)
        db.session.flush()


def report(argument: Argument, reporter: User, reason: ReportReason, text: str) -> ArgumentReport:
    """Report an argument to the moderators, once per account."""
    if argument.author_id == reporter.id:
        raise ArgumentRefused(_l("You cannot report your own argument."), 403)
    if argument.is_hidden:
        raise ArgumentRefused(HIDDEN, 409)
    _check_rate("reports", reporter)
    row = ArgumentReport(
        argument_id=argument.id, reporter_id=reporter.id, reason=ReportReason(reason), text=text
    )
    _add_once(row, _l("You have already reported this argument."))
    return row


def _close_reports(argument: Argument, moderator: User, action: str, **after) -> None:
    """Close the argument's open reports and record the moderator's act in the audit log."""
    reports = db.session.scalars(
        select(ArgumentReport).where(
            ArgumentReport.argument_id == argument.id, ArgumentReport.closed_at.is_(None)
        )
    ).all()
    for row in reports:
        row.closed_at, row.closed_by_id = utcnow(), moderator.id
    audit.record(
        moderator,
        action,
        argument,
        summary=argument.idea.title,
        after={**after, "reports_closed": len(reports)},
    )
    db.session.flush()


def hide(argument: Argument, moderator: User, reason: ReportReason) -> None:
    """Hide the argument with a public reason, close its reports, tell the author; audited."""
    if argument.is_hidden:
        raise ArgumentRefused(HIDDEN, 409)
    reason = ReportReason(reason)
    argument.hidden_at, argument.hidden_reason = utcnow(), reason
    argument.hidden_by_id = moderator.id
    _close_reports(argument, moderator, "argument.hide", reason=reason.value)
    author = argument.author
    if author is not None and author.is_active:
        send_mail(
            author.email,
            _l("Your argument has been hidden"),
            "argument_hidden",
            locale=author.locale,
            user=author,
            idea=argument.idea,
            reason=REASON_LABELS[reason],
            url=external_url("ideas.show", idea_id=argument.idea_id),
        )
        db.session.flush()


def keep(argument: Argument, moderator: User) -> None:
    """Keep the argument as it is and close its reports; audited."""
    _close_reports(argument, moderator, "argument.keep")
