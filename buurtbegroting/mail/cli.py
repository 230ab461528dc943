"""Command: `flask mail work` delivers the outbox (in a loop, or once with --once)."""

from __future__ import annotations

import time

import click
from flask import current_app

from buurtbegroting.mail.delivery import deliver_pending


@click.group("mail")
def mail_cli():
    """E-mail: the delivery worker."""


@mail_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver one batch and stop.")
@click.option("--limit", type=click.IntRange(1, 10_000), help="Messages per batch (MAIL_BATCH).")
@click.option(
    "--idle",
    type=click.FloatRange(0.1, 3600),
    default=5.0,
    show_default=True,
    help="Seconds to wait when nothing is waiting.",
)
def work(once: bool, limit: int | None, idle: float):
    """Deliver waiting e-mail: claim a batch, send it, record delivered / failed; repeat."""
    app = current_app._get_current_object()
    while True:
        report = deliver_pending(app, limit)
        if report.claimed or once:
            click.echo(
                f"claimed {report.claimed}, delivered {report.delivered}, "
                f"waiting for a retry {report.retrying}, failed {report.failed}"
            )
        if once:
            return
        if not report.claimed:
            try:
                time.sleep(idle)
            except KeyboardInterrupt:
                return
