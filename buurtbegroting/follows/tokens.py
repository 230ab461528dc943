"""The signed token of an unsubscribe link: which account, and which kind of news (or all)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from buurtbegroting.models import FollowEvent

#: Its own salt: a token signed for anything else never unsubscribes.
SALT = "follows.unsubscribe"
#: The token's "kind" that turns every kind of news off.
ALL = "all"


class BadToken(Exception):
    """The link is damaged or was not made by this site."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, event: FollowEvent | None) -> str:
    """Return the token that turns one kind of news (None: all) off for an account."""
    return _serializer().dumps([user_id, event.value if event else ALL])


def read_token(token: str) -> tuple[int, FollowEvent | None]:
    """Return the account id and the kind (None: all) of a token, or raise BadToken."""
    try:
        user_id, kind = _serializer().loads(token)
        return int(user_id), None if kind == ALL else FollowEvent(kind)
    except (BadSignature, ValueError, TypeError):
        raise BadToken from None
