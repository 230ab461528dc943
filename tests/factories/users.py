"""Accounts, with one known password, and a person in every role."""

from __future__ import annotations

from functools import cache

from werkzeug.security import generate_password_hash

from buurtbegroting.extensions import db
from buurtbegroting.models import Role, User, utcnow
from tests.factories.sequence import seq as _seq

PASSWORD = "correct horse battery"


@cache
def _password_hash() -> str:
    # Hash once per test session: scrypt is slow on purpose.
    return generate_password_hash(PASSWORD, method="scrypt")


def make_user(**overrides) -> User:
    """Make an active, verified resident (override role, email, area, …); the password is PASSWORD."""
    n = next(_seq)
    coordinated = overrides.pop("coordinated_areas", [])
    fields = {
        "email": f"user{n}@example.nl",
        "display_name": f"Inwoner {n}",
        "role": Role.RESIDENT,
        "password_hash": _password_hash(),
        "locale": "nl",
        # Verified by default; pass email_verified_at=None for an unconfirmed address.
        "email_verified_at": utcnow(),
    }
    fields.update(overrides)
    user = User(**fields)
    user.coordinated_areas = list(coordinated)
    db.session.add(user)
    db.session.flush()
    return user
