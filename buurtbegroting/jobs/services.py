"""Jobs: create, claim, record progress, finish or fail, take over stalled ones, clean up.

Every change to a running job goes through one UPDATE that checks the worker's claim
(``Job.claim``), in the same transaction as the work it reports. A worker that lost its
claim (because it stalled and another worker took the job over) stops at its next step,
so a job's work is committed by one worker only, and a job that is taken over carries on
from its last committed step.
"""

from __future__ import annotations

import secrets
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from buurtbegroting import audit
from buurtbegroting.domain import DomainError
from buurtbegroting.extensions import db
from buurtbegroting.models import Job, JobState, User, utcnow


class LostClaim(Exception):
    """Another worker has taken the job over (or it was stopped): this worker must stop."""


class JobRefused(DomainError):
    """The job cannot do its work; the message says why, in words for its page."""


def result_folder() -> Path:
    """Return the folder of result and work files, creating it when needed."""
    folder = Path(current_app.config["JOB_RESULT_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def work_folder(job_id: int) -> Path:
    """Return the job's own folder for files it builds between attempts."""
    folder = result_folder() / f"job-{job_id}"
    folder.mkdir(exist_ok=True)
    return folder


def result_path(job: Job) -> Path | None:
    """Return the path of the job's result file, if it has one that still exists."""
    if not job.result_file:
        return None
    path = result_folder() / Path(job.result_file).name
    return path if path.is_file() else None


def create_job(
    kind: str, params: dict[str, Any], created_by: User | None, *, is_secret: bool = False
) -> Job:
    """Add a queued job; flush only (the caller commits, then enqueues)."""
    job = Job(
        kind=kind, params=params, created_by=created_by, state=JobState.QUEUED, is_secret=is_secret
    )
    db.session.add(job)
    db.session.flush()
    if created_by is not None:
        audit.record(created_by, "job.start", job, summary=kind, after={"params": params})
    return job


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])


def claim(job_id: int) -> str | None:
    """Claim a queued job, or a running one whose worker went silent; commit; return the claim.

    Returns None when the job is finished, unknown, or running in a live worker.
    """
    now = utcnow()
    token = secrets.token_hex(16)
    result = db.session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                Job.state == JobState.QUEUED,
                (Job.state == JobState.RUNNING) & (Job.heartbeat_at < _stale_before(now)),
            ),
        )
        .values(
            state=JobState.RUNNING,
            claim=token,
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token if result.rowcount == 1 else None


def hold(job_id: int, token: str) -> None:
    """Begin a step: lock the claimed job's row until the step commits (no commit here).

    Writing first also opens the transaction on SQLite, whose driver otherwise lets the
    first savepoint of a step commit on its own.
    """
    _update_claimed(job_id, token, {"heartbeat_at": utcnow()})


def save(job_id: int, token: str, **values: Any) -> None:
    """Record progress (and anything else) of a claimed job, then commit with the work done.

    Rolls back and raises LostClaim when the claim is no longer this worker's.
    """
    values["heartbeat_at"] = utcnow()
    _update_claimed(job_id, token, values)
    db.session.commit()


def _update_claimed(job_id: int, token: str, values: dict[str, Any]) -> None:
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.claim == token, Job.state == JobState.RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise LostClaim(job_id)


def finish(job_id: int, token: str) -> None:
    """Mark a claimed job done and set when its result expires; commit."""
    now = utcnow()
    save(
        job_id,
        token,
        state=JobState.DONE,
        finished_at=now,
        expires_at=now + timedelta(days=current_app.config["JOB_RESULT_DAYS"]),
        claim=None,
    )
    shutil.rmtree(result_folder() / f"job-{job_id}", ignore_errors=True)


def fail(job_id: int, token: str, reason: str) -> None:
    """Mark a claimed job failed with its reason; commit. Work files stay for a new attempt."""
    now = utcnow()
    save(
        job_id,
        token,
        state=JobState.FAILED,
        error=reason[:2000],
        finished_at=now,
        expires_at=now + timedelta(days=current_app.config["JOB_RESULT_DAYS"]),
        claim=None,
    )


def restart(job: Job, actor: User) -> bool:
    """Queue a failed job again (it carries on from its last committed step); flush only."""
    result = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.state == JobState.FAILED)
        .values(state=JobState.QUEUED, error=None, finished_at=None, expires_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    audit.record(actor, "job.restart", job, summary=job.kind)
    return True


def stalled_job_ids(now: datetime | None = None) -> list[int]:
    """Return queued or running jobs nobody has touched for JOB_STALE_SECONDS.

    A worker that died (killed, machine gone) leaves its job running with an old
    heartbeat; a queue that lost its message (Redis flushed) leaves it queued.
    """
    cutoff = _stale_before(now or utcnow())
    return list(
        db.session.scalars(
            select(Job.id).where(
                or_(
                    (Job.state == JobState.RUNNING) & (Job.heartbeat_at < cutoff),
                    (Job.state == JobState.QUEUED) & (Job.created_at < cutoff),
                )
            )
        )
    )


def take_download(job: Job) -> bool:
    """Mark a secret result as downloaded, once; return False when it was taken already."""
    if not job.is_secret:
        return True
    result = db.session.execute(
        update(Job)
        .where(Job.id == job.id, Job.downloaded_at.is_(None))
        .values(downloaded_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def delete_expired_results(now: datetime | None = None) -> int:
    """Delete the files of finished jobs past their expiry (results and work files); flush only.

    A failed job's work files (codes made so far) go too: starting it again is then refused.
    """
    now = now or utcnow()
    jobs = db.session.scalars(
        select(Job).where(Job.expires_at < now, Job.state.in_((JobState.DONE, JobState.FAILED)))
    ).all()
    for job in jobs:
        path = result_path(job)
        if path is not None:
            path.unlink()
        shutil.rmtree(result_folder() / f"job-{job.id}", ignore_errors=True)
        job.result_file = None
        job.expires_at = None
    db.session.flush()
    return len(jobs)


def recent_jobs(limit: int = 50) -> list[Job]:
    """Return the newest jobs, for administrators."""
    return list(db.session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)))


def jobs_of(user: User, limit: int = 20) -> list[Job]:
    """Return the newest jobs a user started."""
    return list(
        db.session.scalars(
            select(Job).where(Job.created_by_id == user.id).order_by(Job.id.desc()).limit(limit)
        )
    )
