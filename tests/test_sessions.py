"""The session cookie: Flask's signed cookie, with its signer kept per secret key."""

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from buurtbegroting.sessions import SessionInterface

DATA = {"ballot_access": {"ra": 1, "code": "a" * 64}, "_fresh": False, "draft": [[3, 1]]}


def _app(secret, fallbacks=()):
    app = Flask("sessions")
    app.secret_key = secret
    app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks)
    return app


def test_the_cookie_is_flasks_both_ways():
    app = _app("k" * 64)
    flask_side = SecureCookieSessionInterface().get_signing_serializer(app)
    ours = SessionInterface().get_signing_serializer(app)
    assert ours.loads(flask_side.dumps(DATA)) == DATA
    assert flask_side.loads(ours.dumps(DATA)) == DATA


def test_a_tampered_or_foreign_cookie_is_refused():
    ours = SessionInterface().get_signing_serializer(_app("k" * 64))
    cookie = ours.dumps(DATA)
    other = SessionInterface().get_signing_serializer(_app("x" * 64))
    for bad in (cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"), other.dumps(DATA)):
        with pytest.raises(BadSignature):
            ours.loads(bad)


def test_a_new_secret_key_keeps_old_sessions_through_its_fallbacks_only():
    interface = SessionInterface()
    old_cookie = interface.get_signing_serializer(_app("old" * 20)).dumps(DATA)
    rotated = _app("new" * 20, fallbacks=["old" * 20])
    assert interface.get_signing_serializer(rotated).loads(old_cookie) == DATA
    # A new cookie is signed with the new key: without the fallback the old key fails.
    new_cookie = interface.get_signing_serializer(rotated).dumps(DATA)
    assert interface.get_signing_serializer(_app("new" * 20)).loads(new_cookie) == DATA
    with pytest.raises(BadSignature):
        interface.get_signing_serializer(_app("new" * 20)).loads(old_cookie)


def test_the_app_uses_it(app):
    assert isinstance(app.session_interface, SessionInterface)
