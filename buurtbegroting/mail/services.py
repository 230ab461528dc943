"""The outbox as administrators see it: the queue by state, and retrying failed messages."""

from __future__ import annotations

from sqlalchemy import Select, func, select, update

from buurtbegroting import audit
from buurtbegroting.extensions import db
from buurtbegroting.mail.outbox import deliverable
from buurtbegroting.models import MailStatus, OutboxMessage, User, utcnow

#: The filters of the outbox page: a name in the query string → the statuses it shows.
STATES = {
    "waiting": (MailStatus.QUEUED,),
    "delivered": (MailStatus.SENT, MailStatus.WRITTEN),
    "failed": (MailStatus.FAILED,),
}


def outbox_query(state: str | None) -> Select:
    """Return the messages in a state ("waiting", "delivered", "failed"; else all), newest first."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if state in STATES:
        query = query.where(OutboxMessage.status.in_(STATES[state]))
    return query


def state_counts() -> dict[str, int]:
    """Return how many messages are in each state of ``STATES``, and "all"."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)
    ).all()
    per_status = dict(rows)
    counts = {
        name: sum(per_status.get(s, 0) for s in statuses) for name, statuses in STATES.items()
    }
    counts["all"] = sum(per_status.values())
    return counts


def _retryable():
    # A secret's text is erased when it fails for good; a bad recipient never goes out.
    return (OutboxMessage.status == MailStatus.FAILED) & (
        OutboxMessage.body.is_not(None) | OutboxMessage.sealed_body.is_not(None)
    )


def can_retry(message: OutboxMessage) -> bool:
    """Tell whether a failed message can be queued again."""
    return message.can_retry and deliverable(message.recipient)


def _requeue(ids: list[int]) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), _retryable())
        .values(
            status=MailStatus.QUEUED,
            attempts=0,
            next_attempt_at=utcnow(),
            claim_token=None,
            claimed_until=None,
        ),
        execution_options={"synchronize_session": False},
    )


def retry_message(message: OutboxMessage, actor: User) -> bool:
    """Queue one failed message again (audited); False when it cannot be retried. Flush only."""
    if not can_retry(message):
        return False
    before = {"status": message.status.value, "attempts": message.attempts}
    before["last_error"] = message.last_error
    _requeue([message.id])
    audit.record(
        actor,
        "mail.retry",
        message,
        summary=f"{message.kind}: {message.recipient}",
        before=before,
        after={"status": MailStatus.QUEUED.value, "attempts": 0},
    )
    db.session.flush()
    return True


def retry_failed(actor: User) -> int:
    """Queue every failed message that can be retried again (one audit entry). Flush only."""
    candidates = db.session.scalars(select(OutboxMessage).where(_retryable())).all()
    ids = [m.id for m in candidates if deliverable(m.recipient)]
    if ids:
        _requeue(ids)
        audit.record(
            actor,
            "mail.retry_failed",
            object_type=OutboxMessage.__tablename__,
            summary=str(len(ids)),
            after={"ids": ids, "status": MailStatus.QUEUED.value},
        )
        db.session.flush()
    return len(ids)
