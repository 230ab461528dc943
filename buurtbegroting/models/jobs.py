"""Long work done by the job queue (huey), with the progress the browser follows."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.types import (
    HasId,
    enum_column,
    long_text,
    str40,
    str200,
    timestamp,
    user_fk,
    utc_time,
)
from buurtbegroting.models.users import User


class JobState(enum.StrEnum):
    """Where a job is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(HasId, db.Model):
    """One piece of long work: what, for whom, how far, and its result file.

    A worker claims a job by changing its ``claim`` in one UPDATE; every step it commits
    checks that the claim is still its own, so a job runs in one worker at a time even
    when a stalled job is picked up again.
    """

    __tablename__ = "jobs"

    #: The registered kind, e.g. "voting_codes" (buurtbegroting/jobs/kinds.py).
    kind: Mapped[str40] = mapped_column(index=True)
    state: Mapped[JobState] = mapped_column(
        enum_column(JobState), default=JobState.QUEUED, index=True
    )
    created_by_id: Mapped[user_fk | None] = mapped_column(index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Steps done of ``progress_total`` in the current stage; the stage is ``message``.
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str200] = mapped_column(default="")
    #: What the job keeps between attempts (rows written, bytes of the result so far).
    checkpoint: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: A file under JOB_RESULT_FOLDER (a name, never a path from outside).
    result_file: Mapped[str200 | None]
    #: The result holds codes: it can be downloaded once and is deleted then.
    is_secret: Mapped[bool] = mapped_column(default=False)
    downloaded_at: Mapped[utc_time | None]
    #: Why the job failed, in words for the page.
    error: Mapped[long_text | None]
    attempts: Mapped[int] = mapped_column(default=0)
    #: The running worker's random claim (see the class docstring).
    claim: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[timestamp] = mapped_column(index=True)
    started_at: Mapped[utc_time | None]
    #: Last sign of life of the worker; a running job silent for JOB_STALE_SECONDS is taken over.
    heartbeat_at: Mapped[utc_time | None] = mapped_column(index=True)
    finished_at: Mapped[utc_time | None]
    #: When the result file is deleted (JOB_RESULT_DAYS after the job finished).
    expires_at: Mapped[utc_time | None] = mapped_column(index=True)

    created_by: Mapped[User | None] = relationship()

    @property
    def percent(self) -> int:
        """Return the progress of the current stage in whole percents."""
        if self.state == JobState.DONE:
            return 100
        if self.progress_total <= 0:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def is_finished(self) -> bool:
        """Tell whether the job has ended, well or not."""
        return self.state in (JobState.DONE, JobState.FAILED)
