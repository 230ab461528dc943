"""Commands: `flask accountability remind` (daily, from cron or the worker)."""

from __future__ import annotations

from datetime import date

import click

from buurtbegroting.accountability import services
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db


@click.group("accountability")
def accountability_cli():
    """Accountability of funded ideas."""


@accountability_cli.command("remind")
@click.option("--today", default=None, help="Pretend it is this day (YYYY-MM-DD), for tests.")
def remind(today):
    """E-mail initiators whose report is due within 7 days or late; once per stage, safe to run twice."""
    day = date.fromisoformat(today) if today else today_nl()
    counts = {"due_soon": 0, "overdue": 0}
    skipped = 0
    for funding, stage in services.due_reminders(day):
        if services.send_reminder(funding, stage, day):
            counts[stage] += 1
        else:
            skipped += 1
        # One commit per reminder: a mail sent is recorded at once.
        db.session.commit()
    click.echo(
        f"Reminders sent: {counts['due_soon']} due soon, {counts['overdue']} overdue"
        f" ({skipped} already sent)."
    )
