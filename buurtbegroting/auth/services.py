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
from buurtbegroting.urls import external_url

#: Why an unconfirmed account may not submit, support or invite, and where to get the mail.
NOT_VERIFIED = _l(
    "First confirm your e-mail address with the link in the e-mail we sent you. "
    "On “My account” you can ask for the e-mail again."
)

RESET_SALT = "password-reset"
VERIFY_SALT = "email-verify"


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
) -> User | None:
    """Create a resident account living in the postcode's neighbourhood; flush only.

    For an address that has an account already nothing is created and None comes back;
    the owner gets an e-mail about the attempt. Both ways hash the password and queue one
    e-mail, so the answer (and its time) does not tell whether the address is known.
    """
    area = area_for_postcode(postcode)
    existing = get_user_by_email(email)
    if existing is not None:
        generate_password_hash(password, method="scrypt")
        send_mail(
            existing.email,
            _l("Someone tried to make an account with your address"),
            "registration_attempt",
            locale=existing.locale,
            user=existing,
            login_url=external_url("auth.login"),
            reset_url=external_url("auth.reset_request"),
        )
        return None
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
    send_verification(user)
    return user


def _verify_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=VERIFY_SALT)


def make_verify_token(user: User) -> str:
    """Return a signed token that proves the owner of the account's address read our mail."""
    return _verify_serializer().dumps({"uid": user.id, "email": user.email})


def user_for_verify_token(token: str) -> User | None:
    """Return the account a valid, unexpired verification token belongs to, or None."""
    # A token for an earlier address of the account proves nothing about the current one.
    return _token_user(
        _verify_serializer(),
        token,
        "EMAIL_VERIFY_MAX_AGE",
        lambda user, data: data.get("email") == user.email,
    )


def _token_user(serializer, token: str, max_age_key: str, belongs) -> User | None:
    """Return the active account a valid, unexpired token names if ``belongs(user, data)``."""
    try:
        data = serializer.loads((token or "").strip(), max_age=current_app.config[max_age_key])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or not user.is_active or not belongs(user, data):
        return None
    return user


def _mail_token(user: User, token: str, endpoint: str, subject, template: str, **context) -> None:
    """E-mail the owner a link to ``endpoint`` with the token in its fragment, and as a code."""
    page = external_url(endpoint)
    send_mail(
        user.email,
        subject,
        template,
        locale=user.locale,
        secret=True,
        user=user,
        url=f"{page}#{token}",
        page=page,
        code=token,
        **context,
    )


def send_verification(user: User) -> None:
    """E-mail the owner a link (token in the fragment) and a code to confirm the address."""
    _mail_token(
        user,
        make_verify_token(user),
        "auth.verify_email",
        _l("Confirm your e-mail address"),
        "verify_email",
        days=current_app.config["EMAIL_VERIFY_MAX_AGE"] // 86400,
    )


def verify_email(user: User) -> None:
    """Mark the account's address as confirmed; flush only."""
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """Return the active account for these credentials, or None."""
    user = get_user_by_email(email)
    if user is None:
        # Spend the same time as for a real account, so timing does not tell who has one.
        check_password_hash(_dummy_hash(), password)
        return None
    # Check the password of a blocked account too: the time must not tell it is blocked.
    if not user.check_password(password) or not user.is_active:
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
    return _token_user(
        _serializer(),
        token,
        "PASSWORD_RESET_MAX_AGE",
        lambda user, data: data.get("fp") == _fingerprint(user),
    )


def request_password_reset(email: str) -> None:
    """E-mail a reset link when the address has an account; say nothing otherwise.

    The token travels in the link's fragment (never sent to a server, so in no log)
    and as a code to type. The e-mail is only queued (the worker delivers it after the
    commit), so neither the mail server's time nor its failure shows in the answer, and
    the answer does not tell whether the address has an account.
    """
    user = get_user_by_email(email)
    if user is None or not user.is_active:
        return
    _mail_token(
        user,
        make_reset_token(user),
        "auth.new_password",
        _l("Choose a new password"),
        "password_reset",
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def set_new_password(user: User, password: str) -> None:
    """Store a new password and end every session of the account; flush only."""
    user.set_password(password)
    user.end_sessions()
    db.session.flush()


def end_sessions(user: User) -> None:
    """End every session of the account (on logout); flush only."""
    user.end_sessions()
    db.session.flush()


def update_account(user: User, display_name: str, postcode: str, locale: str) -> None:
    """Change the name, postcode (and so the neighbourhood) and language of an account."""
    area = area_for_postcode(postcode)
    user.display_name = display_name.strip()
    user.postcode = postcode
    user.area = area
    user.locale = locale
    db.session.flush()
