"""Run one job in a worker: claim it, run its kind, finish it or record why it failed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from buurtbegroting.domain import DomainError
from buurtbegroting.extensions import db
from buurtbegroting.jobs import services
from buurtbegroting.models import Job


@dataclass(frozen=True)
class Kind:
    """A kind of job: its name on pages, the function that does the work, and its result."""

    label: Any
    run: Callable[[Work], None]
    #: The result holds codes: downloaded once, never kept after that.
    is_secret: bool = False


#: Every kind of job, by name (filled by buurtbegroting/jobs/kinds/).
KINDS: dict[str, Kind] = {}


def register(name: str, label, *, is_secret: bool = False):
    """Register the decorated function as the work of a kind of job."""

    def decorator(fn):
        KINDS[name] = Kind(label=label, run=fn, is_secret=is_secret)
        return fn

    return decorator


class Work:
    """What a kind's function gets: the job's parameters, its checkpoint, and progress steps."""

    #: Seconds between two progress saves of ``beat`` (each one is a small commit).
    BEAT_SECONDS = 0.5

    def __init__(self, job: Job, token: str):
        self.job = job
        self.job_id = job.id
        self.token = token
        self.params: dict[str, Any] = dict(job.params or {})
        self.checkpoint: dict[str, Any] = dict(job.checkpoint or {})
        self._last_beat = 0.0

    def begin(self) -> None:
        """Begin a step of work: the job's row is held until ``step`` commits it."""
        services.hold(self.job_id, self.token)

    def step(self, done: int, total: int, message: str = "", **values: Any) -> None:
        """Commit the work done so far together with the progress (and checkpoint, result)."""
        if "checkpoint" in values:
            self.checkpoint = dict(values["checkpoint"])
        services.save(
            self.job_id,
            self.token,
            progress_done=done,
            progress_total=total,
            message=str(message)[:200],
            **values,
        )
        self._last_beat = time.monotonic()

    def beat(self, done: int, total: int, message: str = "") -> None:
        """Save progress now and then (for work that commits nothing until its end)."""
        if time.monotonic() - self._last_beat >= self.BEAT_SECONDS or done >= total:
            self.step(done, total, message)


def _reason(error: BaseException) -> str:
    messages = getattr(error, "messages", None) or [error]
    return " ".join(str(m) for m in messages)


def run(job_id: int) -> bool:
    """Run a job if this worker can claim it; return whether it ran to its end (done or failed)."""
    token = services.claim(job_id)
    if token is None:
        return False
    job = db.session.get(Job, job_id)
    creator = job.created_by
    locale = (creator.locale if creator else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    log = current_app.logger.getChild("jobs")
    with force_locale(locale):
        try:
            kind = KINDS.get(job.kind)
            if kind is None:
                raise services.JobRefused(_("This kind of job is unknown."))
            kind.run(Work(job, token))
            services.finish(job_id, token)
            return True
        except services.LostClaim:
            log.warning("Job %s was taken over by another worker; this one stops.", job_id)
            return False
        except DomainError as refused:
            db.session.rollback()
            reason = _reason(refused)
        except Exception as error:
            db.session.rollback()
            log.exception("Job %s stopped by an unexpected error.", job_id)
            reason = _(
                "The job stopped because of an unexpected error (%(name)s). "
                "The details are in the log of the worker. You can start it again.",
                name=type(error).__name__,
            )
        try:
            services.fail(job_id, token, reason)
        except services.LostClaim:
            return False
    return True
