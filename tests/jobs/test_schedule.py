"""The worker's schedule: which routines run when, and mail delivery from the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from buurtbegroting.jobs.kinds.routines import run_routine
from buurtbegroting.jobs.tasks import _deliver_mail
from buurtbegroting.models import Job, JobState, MailStatus, OutboxMessage


def _due(huey, when: datetime) -> set[str]:
    tasks = huey._registry.periodic_tasks
    return {t.name.rsplit(".", 1)[-1] for t in tasks if t.validate_datetime(when)}


def test_the_schedule_runs_each_routine_at_its_time(app):
    huey = app.extensions["huey"]
    every_minute = {"pick_up_stalled_jobs", "deliver_mail"}
    assert _due(huey, datetime(2027, 3, 1, 10, 1)) == every_minute
    assert _due(huey, datetime(2027, 3, 1, 10, 5)) == every_minute | {"routine_clean_job_results"}
    assert _due(huey, datetime(2027, 3, 1, 2, 30)) == every_minute | {"routine_privacy_retention"}
    assert _due(huey, datetime(2027, 3, 1, 3, 0)) == every_minute | {"routine_close_expired"}
    assert _due(huey, datetime(2027, 3, 1, 7, 0)) == every_minute | {
        "routine_accountability_reminders"
    }
    assert _due(huey, datetime(2027, 3, 1, 7, 15)) == every_minute | {
        "routine_round_close_reminders"
    }


def test_a_routine_mails_through_the_outbox_and_the_worker_delivers_it(app, db, admin, smtp_server):
    from tests.factories.rounds import make_round

    round_ = make_round(phase="counting")
    db.session.commit()
    job = db.session.get(Job, run_routine("round_close_reminders"))
    assert job.state == JobState.DONE and job.created_by is None
    (message,) = db.session.scalars(select(OutboxMessage)).all()
    assert message.status == MailStatus.QUEUED and not smtp_server.received
    assert _deliver_mail(app, seconds=10) == 1
    db.session.refresh(message)
    assert message.status == MailStatus.SENT
    (received,) = smtp_server.received
    assert received["To"] == admin.email and round_.name in received["Subject"]


def test_the_privacy_retention_routine_runs_the_command(db):
    job = db.session.get(Job, run_routine("privacy_retention"))
    assert job.state == JobState.DONE, job.error


def test_the_command_runs_a_routine_now_and_refuses_unknown_ones(runner):
    result = runner.invoke(args=["jobs", "routine", "accountability_reminders"])
    assert result.exit_code == 0 and "done" in result.output, result.output
    assert "Herinneringen verstuurd: 0" in result.output
    unknown = runner.invoke(args=["jobs", "routine", "everything"])
    assert unknown.exit_code == 2 and "Invalid value" in unknown.output


def test_the_worker_command_refuses_immediate_mode(runner):
    result = runner.invoke(args=["jobs", "worker"])
    assert result.exit_code == 1 and "HUEY_IMMEDIATE" in result.output
