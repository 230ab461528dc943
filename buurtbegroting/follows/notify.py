"""Tell followers: one call where something happens queues e-mail or digest lines, never SMTP.

``notify(event, obj, actor)`` finds the followers with one query (their setting for that
kind of news joined in), then queues all immediate mail with one INSERT and all digest
lines with another, so the statements do not grow with the number of followers. The
actor (and an idea's author, who is told anyway) is left out. The worker delivers later,
throttled by MAIL_PER_MINUTE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, insert, or_, select

from buurtbegroting.extensions import db
from buurtbegroting.follows.tokens import make_token
from buurtbegroting.mail import compose_mail, queue_mail
from buurtbegroting.models import (
    DigestItem,
    Follow,
    FollowEvent,
    FollowPreference,
    FollowTarget,
    NotifyMode,
    RoundVoter,
    User,
)
from buurtbegroting.urls import external_url


@dataclass
class News:
    """What happened, for whom: the targets whose followers hear it, the text and the link."""

    event: FollowEvent
    targets: list[tuple[FollowTarget, int]]
    #: A lazy string: translated per recipient.
    text: Any
    url: str
    exclude: set[int] = field(default_factory=set)
    #: An extra condition on the recipients (e.g. "has not voted").
    condition: Any = None
    #: The plain text of a newsletter (news of other kinds is one sentence: ``text``).
    body: str = ""


def unsubscribe_url(user_id: int, event: FollowEvent | None) -> str:
    """Return the link that turns one kind of news (None: all) off, no login needed."""
    return external_url("follows.unsubscribe", token=make_token(user_id, event))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """Return the RFC 8058 one-click unsubscribe headers for a link."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def followers(
    targets: list[tuple[FollowTarget, int]],
    event: FollowEvent,
    exclude: set[int] = frozenset(),
    condition=None,
) -> list[tuple[User, NotifyMode]]:
    """Return (account, setting) of every active, confirmed follower of any target: one query."""
    if not targets:
        return []
    followed = select(Follow.user_id).where(
        or_(*(and_(Follow.target == kind, Follow.target_id == id_) for kind, id_ in targets))
    )
    query = (
        select(User, FollowPreference.mode)
        .outerjoin(
            FollowPreference,
            and_(FollowPreference.user_id == User.id, FollowPreference.event == event),
        )
        .where(
            User.id.in_(followed),
            User.is_active.is_(True),
            User.email_verified_at.is_not(None),
        )
        .order_by(User.id)
    )
    if exclude:
        query = query.where(User.id.not_in(exclude))
    if condition is not None:
        query = query.where(condition)
    return [(user, mode or NotifyMode.IMMEDIATE) for user, mode in db.session.execute(query)]


def tell(news: News) -> int:
    """Queue the news for its followers (mail or digest line); return how many were told."""
    recipients = followers(news.targets, news.event, news.exclude, news.condition)
    mails, lines = [], []
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    for user, mode in recipients:
        if mode == NotifyMode.OFF:
            continue
        if mode == NotifyMode.DIGEST and news.event != FollowEvent.NEWSLETTER:
            with force_locale(user.locale or default):
                text = str(news.text)
            lines.append({"user_id": user.id, "event": news.event, "text": text, "url": news.url})
            continue
        url = unsubscribe_url(user.id, news.event)
        mails.append(
            compose_mail(
                user.email,
                news.text,
                "follow_news",
                user.locale,
                headers=unsubscribe_headers(url),
                user=user,
                text=news.text,
                body=news.body,
                url=news.url,
                unsubscribe_url=url,
            )
        )
    if lines:
        db.session.execute(insert(DigestItem), lines)
    queue_mail(mails)
    db.session.flush()
    return len(mails) + len(lines)


def _about_idea(event: FollowEvent, idea, text, exclude: set[int]) -> News:
    """Return news for the followers of an idea and of its group, linking to the idea."""
    targets = [(FollowTarget.IDEA, idea.id)]
    if idea.group_id is not None:
        targets.append((FollowTarget.GROUP, idea.group_id))
    return News(event, targets, text, external_url("ideas.show", idea_id=idea.id), exclude)


def _about_round_area(event: FollowEvent, round_area, text, exclude: set[int]) -> News:
    """Return news for the followers of a round's area, linking to the round."""
    return News(
        event,
        [(FollowTarget.AREA, round_area.area_id)],
        text,
        external_url("rounds.show", round_id=round_area.round_id),
        exclude,
    )


def _status(idea, actor_ids: set[int], **_) -> News:
    from buurtbegroting.ideas.labels import STATUS_LABELS

    text = _l(
        'The idea "%(title)s" now has the status: %(status)s.',
        title=idea.title,
        status=STATUS_LABELS[idea.status],
    )
    # The author is told by the status mail itself.
    return _about_idea(FollowEvent.STATUS, idea, text, actor_ids | {idea.author_id})


def _progress(update, actor_ids: set[int], **_) -> News:
    idea = update.funding.idea
    text = _l('There is a new progress update on "%(title)s".', title=idea.title)
    return _about_idea(FollowEvent.PROGRESS, idea, text, actor_ids)


def _voting_open(round_area, actor_ids: set[int], **_) -> News:
    text = _l(
        'Voting has started in %(area)s: "%(name)s".',
        area=round_area.area.name,
        name=round_area.round.name,
    )
    return _about_round_area(FollowEvent.VOTING_OPEN, round_area, text, actor_ids)


def _voting_reminder(round_area, actor_ids: set[int], **_) -> News:
    text = _l(
        'Voting in "%(name)s" closes in two days. You have not voted yet.',
        name=round_area.round.name,
    )
    news = _about_round_area(FollowEvent.VOTING_REMINDER, round_area, text, actor_ids)
    # Accounts only: a voting code is never linked to anyone, so it plays no part here.
    news.condition = ~exists().where(
        RoundVoter.round_area_id == round_area.id, RoundVoter.user_id == User.id
    )
    return news


def _results(round_, actor_ids: set[int], **_) -> News:
    return News(
        FollowEvent.RESULTS,
        [(FollowTarget.AREA, ra.area_id) for ra in round_.areas],
        _l('The results of "%(name)s" are published.', name=round_.name),
        external_url("rounds.results", round_id=round_.id),
        actor_ids,
    )


def _cheques(idea, actor_ids: set[int], reason: str = "reached", **_) -> News:
    if reason == "reached":
        text = _l('The initiative "%(title)s" has reached its target.', title=idea.title)
    else:
        text = _l(
            'The initiative "%(title)s" is open for cheques until %(date)s.',
            title=idea.title,
            date=idea.target_date.strftime("%d-%m-%Y"),
        )
    return _about_idea(FollowEvent.CHEQUES, idea, text, actor_ids)


#: What each kind of news says, and to whom, given the object it is about.
DESCRIBE = {
    FollowEvent.STATUS: _status,
    FollowEvent.PROGRESS: _progress,
    FollowEvent.VOTING_OPEN: _voting_open,
    FollowEvent.VOTING_REMINDER: _voting_reminder,
    FollowEvent.RESULTS: _results,
    FollowEvent.CHEQUES: _cheques,
}


def notify(event: FollowEvent, obj, actor: User | None = None, **options) -> int:
    """Tell the followers of ``obj`` about an event (not the actor); queue only, flush only."""
    actor_ids = {actor.id} if actor is not None and actor.id is not None else set()
    return tell(DESCRIBE[event](obj, actor_ids, **options))
