"""The command `flask demo load`: the demo municipality, once, never in production."""

from __future__ import annotations

import click
from flask import current_app

from buurtbegroting.extensions import db


@click.group("demo")
def demo_cli():
    """Demo data."""


@demo_cli.command("load")
def demo_load():
    """Load the demo municipality (Oss) once; running it again changes nothing."""
    if current_app.config.get("IS_PRODUCTION"):
        raise click.ClickException(
            "The demo data is for trying the platform out; it is never loaded in production."
        )
    from demo.data import load_demo

    created = load_demo()
    db.session.commit()
    if created:
        click.echo("Demo data loaded.")
    else:
        click.echo("Demo data was already there; nothing changed.")
