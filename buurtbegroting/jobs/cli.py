"""Commands: `flask jobs worker` (the huey consumer) and `flask jobs routine` (a routine now)."""

from __future__ import annotations

import logging

import click
from flask import current_app


@click.group("jobs")
def jobs_cli():
    """The job queue: workers and routines."""


@jobs_cli.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Worker threads.")
@click.option(
    "--no-periodic",
    is_flag=True,
    help="Do not run the schedule here (when another machine's worker runs it).",
)
def worker(workers: int, no_periodic: bool):
    """Run a huey consumer: take jobs from the queue and run the schedule, until Ctrl-C."""
    huey = current_app.extensions["huey"]
    if huey.immediate:
        raise click.ClickException("HUEY_IMMEDIATE is on: jobs run in the request, not here.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer = huey.create_consumer(
        workers=max(1, workers), periodic=not no_periodic, worker_type="thread"
    )
    consumer.run()


@jobs_cli.command("routine")
@click.argument(
    "kind",
    type=click.Choice(
        [
            "accountability_reminders",
            "close_expired",
            "round_close_reminders",
            "privacy_retention",
            "clean_job_results",
        ]
    ),
)
def routine(kind: str):
    """Run one of the worker's scheduled routines now, here, and record it as a job."""
    from buurtbegroting.extensions import db
    from buurtbegroting.jobs.kinds.routines import run_routine
    from buurtbegroting.models import Job

    job = db.session.get(Job, run_routine(kind))
    click.echo(f"Job {job.id} ({kind}): {job.state.value}. {job.message or job.error or ''}")
    if job.error:
        raise SystemExit(1)
