"""Commands: `flask users create-admin` (the first administrator, or make an account one)."""

from __future__ import annotations

import click

from buurtbegroting.extensions import db


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
    from buurtbegroting.models import Role, User, utcnow

    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters", param_hint="--password")
    user = get_user_by_email(email)
    before = None
    if user is None:
        # The operator typed the address on the server: no verification e-mail needed.
        user = User(
            email=normalize_email(email),
            display_name=name,
            role=Role.ADMIN,
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        action, done = "user.create_admin", f"Created administrator {user.email}."
    else:
        before = {"role": user.role.value}
        user.role = Role.ADMIN
        action, done = "user.role", f"{user.email} is now an administrator."
    user.set_password(password)
    db.session.flush()
    audit.record(None, action, user, summary=user.email, before=before, after={"role": "admin"})
    click.echo(done)
    db.session.commit()
