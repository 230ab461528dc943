"""Jobs as a worker leaves them half way."""

from __future__ import annotations

from buurtbegroting.extensions import db
from buurtbegroting.models import Job, JobState, User, utcnow


def make_running_job(created_by: User, done: int, total: int, message: str, **overrides) -> Job:
    """Make a job that a live worker is running (flushed, not committed)."""
    fields = {
        "kind": "close_expired",
        "params": {},
        "created_by": created_by,
        "state": JobState.RUNNING,
        "progress_done": done,
        "progress_total": total,
        "message": message,
        "heartbeat_at": utcnow(),
    }
    job = Job(**{**fields, **overrides})
    db.session.add(job)
    db.session.flush()
    return job
