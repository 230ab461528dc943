"""Account services: registration, authentication, password reset, settings."""

from __future__ import annotations

import hashlib
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from buurtbegroting.domain import DomainError
from buurtbegroting.extensions import db
from buurtbegroting.mail import send_mail
from buurtbegroting.models import Area, User, utcnow
from buurtbegroting.public.services import find_area_by_postcode

RESET_SALT = "password-reset"


class EmailTaken(DomainError):
    """An account with this e-mail address exists already."""


class UnknownPostcode(DomainError):
    """The postcode is not in the municipality's mapping."""


def normalize_email(email: str) -> str:
    """Return the e-mail address in the form it is stored: trimmed, lower case."""
    return (email or "").strip().lower()


def get_user_by_email(email: str) -> User | None:
    """Return the account with this e-mail address, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def area_for_postcode(postcode: str) -> Area:
    """Return the neighbourhood of a normalised postcode or raise UnknownPostcode."""
    area = find_area_by_postcode(postcode)
    if area is None:
        raise UnknownPostcode(postcode)
    return area


def register_user(
    email: str, password: str, display_name: str, postcode: str, locale: str | None
) -> User:
    """Create a resident account living in the postcode's neighbourhood; flush only."""
    if get_user_by_email(email) is not None:
        raise EmailTaken(email)
    area = area_for_postcode(postcode)
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        postcode=postcode,
        area=area,
        locale=locale,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active account for these credentials, or None."""
    user = get_user_by_email(email)
    if user is None:
        # Spend the same time as for a real account, so timing does not tell who has one.
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.is_active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not-a-password", method="scrypt")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # Changes whenever the password changes, which makes every earlier token useless.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    """Return a signed token that lets the user choose a new password once."""
    return _serializer().dumps({"uid": user.id, "fp": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """Return the user of a valid, unexpired, unused reset token, or None."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or not user.is_active or data.get("fp") != _fingerprint(user):
        return None
    return user


def request_password_reset(email: str, reset_url_for) -> None:
    """E-mail a reset link when the address has an account; say nothing otherwise."""
    user = get_user_by_email(email)
    if user is None or not user.is_active:
        return
    send_mail(
        user.email,
        _l("Choose a new password"),
        "password_reset",
        locale=user.locale,
        secret=True,
        user=user,
        url=reset_url_for(make_reset_token(user)),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def set_new_password(user: User, password: str) -> None:
    """Store a new password for the user; flush only."""
    user.set_password(password)
    db.session.flush()


def update_account(user: User, display_name: str, postcode: str, locale: str) -> None:
    """Change the name, postcode (and so the neighbourhood) and language of an account."""
    area = area_for_postcode(postcode)
    user.display_name = display_name.strip()
    user.postcode = postcode
    user.area = area
    user.locale = locale
    db.session.flush()
