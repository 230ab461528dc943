"""Following and unfollowing, the settings per kind of news, unsubscribing, and newsletters."""

from __future__ import annotations

from sqlalchemy import delete, select

from buurtbegroting import audit
from buurtbegroting.extensions import db
from buurtbegroting.follows.notify import News, followers, tell
from buurtbegroting.models import Area, BudgetRound, DigestItem, Follow
from buurtbegroting.models.follows import FollowEvent, FollowPreference, FollowTarget, NotifyMode
from buurtbegroting.urls import external_url


def is_following(user, target: FollowTarget, target_id: int) -> bool:
    """Tell whether the account follows the idea, area or group."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Follow.id).where(
                Follow.user_id == user.id, Follow.target == target, Follow.target_id == target_id
            )
        )
        is not None
    )


def follow(user, target: FollowTarget, target_id: int) -> None:
    """Follow the idea, area or group (following twice changes nothing); flush only."""
    if not is_following(user, target, target_id):
        db.session.add(Follow(user_id=user.id, target=target, target_id=target_id))
        db.session.flush()


def unfollow(user, target: FollowTarget, target_id: int) -> None:
    """Stop following the idea, area or group; flush only."""
    db.session.execute(
        delete(Follow).where(
            Follow.user_id == user.id, Follow.target == target, Follow.target_id == target_id
        )
    )
    db.session.flush()


def preferences(user_id: int) -> dict[FollowEvent, NotifyMode]:
    """Return the account's setting for every kind of news (default: immediately)."""
    stored = dict(
        db.session.execute(
            select(FollowPreference.event, FollowPreference.mode).where(
                FollowPreference.user_id == user_id
            )
        ).all()
    )
    return {event: stored.get(event, NotifyMode.IMMEDIATE) for event in FollowEvent}


def set_preferences(user_id: int, modes: dict[FollowEvent, NotifyMode]) -> None:
    """Store the account's setting for the given kinds of news; flush only."""
    existing = {
        p.event: p
        for p in db.session.scalars(
            select(FollowPreference).where(FollowPreference.user_id == user_id)
        )
    }
    for event, mode in modes.items():
        if event in existing:
            existing[event].mode = mode
        else:
            db.session.add(FollowPreference(user_id=user_id, event=event, mode=mode))
    db.session.flush()


def unsubscribe(user_id: int, event: FollowEvent | None) -> None:
    """Turn one kind of news (None: every kind) off for the account; flush only."""
    events = list(FollowEvent) if event is None else [event]
    set_preferences(user_id, dict.fromkeys(events, NotifyMode.OFF))


def export_for(user_id: int) -> dict:
    """Return what following keeps about an account, for the download of its own data."""
    follows = db.session.scalars(
        select(Follow).where(Follow.user_id == user_id).order_by(Follow.id)
    ).all()
    waiting = db.session.scalars(
        select(DigestItem).where(DigestItem.user_id == user_id).order_by(DigestItem.id)
    ).all()
    return {
        "follows": [
            {"what": f.target.value, "id": f.target_id, "since": f.created_at.isoformat()}
            for f in follows
        ],
        "notification_settings": {e.value: m.value for e, m in preferences(user_id).items()},
        "digest_waiting": [{"text": d.text, "url": d.url} for d in waiting],
    }


# --- newsletters ------------------------------------------------------------------------


def newsletter_targets(scope: Area | BudgetRound) -> list[tuple[FollowTarget, int]]:
    """Return the areas whose followers receive a newsletter about an area or a round."""
    if isinstance(scope, BudgetRound):
        return [(FollowTarget.AREA, ra.area_id) for ra in scope.areas]
    return [(FollowTarget.AREA, scope.id)]


def newsletter_audience(scope: Area | BudgetRound) -> int:
    """Return how many followers would receive a newsletter now (the setting "off" excluded)."""
    found = followers(newsletter_targets(scope), FollowEvent.NEWSLETTER)
    return sum(mode != NotifyMode.OFF for _user, mode in found)


def _scope_url(scope: Area | BudgetRound) -> str:
    if isinstance(scope, BudgetRound):
        return external_url("rounds.show", round_id=scope.id)
    return external_url("public.area", code=scope.code)


def send_newsletter(actor, scope: Area | BudgetRound, subject: str, text: str) -> int:
    """Queue a newsletter for the followers of an area or round, audited; return the count."""
    news = News(
        FollowEvent.NEWSLETTER,
        newsletter_targets(scope),
        subject,
        _scope_url(scope),
        body=text,
    )
    count = tell(news)
    audit.record(
        actor,
        "follows.newsletter",
        scope,
        summary=subject,
        after={"recipients": count, "characters": len(text)},
    )
    return count
