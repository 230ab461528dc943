"""The huey queue: the task that runs a job, and the scheduled tasks of the worker.

One huey instance per application (``app.extensions["huey"]``): SqliteHuey in a file
under instance/ when no Redis is configured (``make run``), RedisHuey with HUEY_REDIS_URL
or REDIS_URL (production: workers on several machines share the queue). Tasks carry only
a job id; what the job is and how far it got live in the database (models/jobs.py).

Times of the schedule are UTC. Every scheduled task takes a lock in the queue's storage,
so two consumers that both run the scheduler never run the same routine at once; the
routines are safe to repeat in any case.
"""

from __future__ import annotations

import time
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.exceptions import TaskLockedException

#: Scheduled routines: (job kind, crontab). The kinds are in jobs/kinds/routines.py.
SCHEDULE = (
    ("clean_job_results", crontab(minute="5")),
    ("privacy_retention", crontab(minute="30", hour="2")),
    ("close_expired", crontab(minute="0", hour="3")),
    ("accountability_reminders", crontab(minute="0", hour="7")),
    ("round_close_reminders", crontab(minute="15", hour="7")),
    ("unfinished_ballot_reminders", crontab(minute="20")),
    ("follow_notices", crontab(minute="25")),
    ("follow_digests", crontab(minute="0", hour="8", day_of_week="1")),
)


def make_huey(app) -> Huey:
    """Return the app's huey instance with the job task and the schedule registered."""
    cfg = app.config
    options = {"results": False, "immediate": cfg["HUEY_IMMEDIATE"], "utc": True}
    if cfg.get("HUEY_REDIS_URL"):
        huey: Huey = RedisHuey(cfg["HUEY_NAME"], url=cfg["HUEY_REDIS_URL"], **options)
    else:
        Path(cfg["HUEY_SQLITE_PATH"]).parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(cfg["HUEY_NAME"], filename=cfg["HUEY_SQLITE_PATH"], **options)

    @huey.task(name="run_job")
    def run_job(job_id: int) -> None:
        from buurtbegroting.jobs import runner

        with app.app_context():
            runner.run(job_id)

    @huey.periodic_task(crontab(minute="*"), name="pick_up_stalled_jobs")
    def pick_up_stalled_jobs() -> None:
        _requeue_stalled(app, run_job)

    @huey.on_startup(name="pick_up_stalled_jobs")
    def pick_up_on_startup() -> None:
        _requeue_stalled(app, run_job)

    @huey.periodic_task(crontab(minute="*"), name="deliver_mail")
    def deliver_mail() -> None:
        _deliver_mail(app)

    for kind, schedule in SCHEDULE:
        _schedule_routine(huey, app, kind, schedule)

    huey.run_job = run_job
    return huey


def _requeue_stalled(app, run_job) -> None:
    from buurtbegroting.jobs import services

    with app.app_context():
        for job_id in services.stalled_job_ids():
            run_job(job_id)


def _deliver_mail(app, seconds: float = 50.0) -> int:
    """Deliver waiting e-mail from the outbox, batch after batch, for at most ``seconds``.

    ``deliver_pending`` claims each batch, so workers on several machines share the work
    and a message goes out once; MAIL_PER_MINUTE keeps the pace. Returns the messages claimed.
    """
    from buurtbegroting.mail.delivery import deliver_pending

    deadline = time.monotonic() + seconds
    claimed = 0
    while time.monotonic() < deadline:
        report = deliver_pending(app)
        claimed += report.claimed
        if not report.claimed:
            break
    return claimed


def _schedule_routine(huey: Huey, app, kind: str, schedule) -> None:
    def routine() -> None:
        from buurtbegroting.jobs.kinds.routines import run_routine

        try:
            with huey.lock_task(f"routine-{kind}"), app.app_context():
                run_routine(kind)
        except TaskLockedException:
            app.logger.getChild("jobs").info("Routine %s runs elsewhere already.", kind)

    routine.__name__ = f"routine_{kind}"
    huey.periodic_task(schedule, name=f"routine_{kind}")(routine)
