"""Flask commands: users, demo data, translations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from buurtbegroting.accountability.cli import accountability_cli
from buurtbegroting.cheques.cli import cheques_cli
from buurtbegroting.extensions import db
from buurtbegroting.rounds.cli import rounds_cli

ROOT = Path(__file__).resolve().parent.parent


def register_cli(app) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(rounds_cli)
    app.cli.add_command(cheques_cli)
    app.cli.add_command(accountability_cli)


@click.group("users")
def users_cli():
    """Manage accounts."""


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Beheerder", show_default=True, help="Display name.")
@click.password_option(help="Password (asked when not given).")
def create_admin(email: str, name: str, password: str):
    """Create an administrator, or make an existing account one."""
    from buurtbegroting import audit
    from buurtbegroting.auth.forms import MIN_PASSWORD
    from buurtbegroting.auth.services import get_user_by_email, normalize_email
    from buurtbegroting.models import Role, User

    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters", param_hint="--password")
    user = get_user_by_email(email)
    if user is None:
        user = User(email=normalize_email(email), display_name=name, role=Role.ADMIN)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        audit.record(None, "user.create_admin", user, summary=user.email, after={"role": "admin"})
        click.echo(f"Created administrator {user.email}.")
    else:
        before = user.role.value
        user.role = Role.ADMIN
        user.set_password(password)
        audit.record(
            None,
            "user.role",
            user,
            summary=user.email,
            before={"role": before},
            after={"role": "admin"},
        )
        click.echo(f"{user.email} is now an administrator.")
    db.session.commit()


@click.group("demo")
def demo_cli():
    """Demo data."""


@demo_cli.command("load")
def demo_load():
    """Load the demo municipality (Oss) once; running it again changes nothing."""
    from buurtbegroting.demo import load_demo

    created = load_demo()
    db.session.commit()
    if created:
        click.echo("Demo data loaded.")
    else:
        click.echo("Demo data was already there; nothing changed.")


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
