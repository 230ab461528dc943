"""The one place where every flask command group is registered; translations live here too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from buurtbegroting.accountability.cli import accountability_cli
from buurtbegroting.auth.cli import users_cli
from buurtbegroting.cheques.cli import cheques_cli
from buurtbegroting.jobs.cli import jobs_cli
from buurtbegroting.mail.cli import mail_cli
from buurtbegroting.privacy.cli import privacy_cli
from buurtbegroting.rounds.cli import rounds_cli

ROOT = Path(__file__).resolve().parent.parent


def register_cli(app) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(users_cli)
    try:
        from demo.cli import demo_cli
    except ImportError:  # an install without the repository's demo/ folder
        pass
    else:
        app.cli.add_command(demo_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(rounds_cli)
    app.cli.add_command(cheques_cli)
    app.cli.add_command(accountability_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(mail_cli)


@click.group("translate")
def translate_cli():
    """Translation catalogues (wraps pybabel)."""


def _pybabel(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT)
    if result.returncode != 0:
        raise click.ClickException("pybabel " + " ".join(args) + " failed")


@translate_cli.command("update")
def translate_update():
    """Extract every marked string and merge it into the catalogues."""
    pot = ROOT / "translations" / "messages.pot"
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "-o",
        str(pot),
        "buurtbegroting",
        "templates",
    )
    _pybabel(
        "update", "-i", str(pot), "-d", "translations", "--no-fuzzy-matching", "--ignore-obsolete"
    )


@translate_cli.command("compile")
def translate_compile():
    """Compile the catalogues to .mo files."""
    _pybabel("compile", "-d", "translations", "--statistics")
