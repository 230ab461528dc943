"""Kiosk mode: a device at a help desk, library or voting booth that many voters share.

An administrator marks the device with a signed, expiring cookie (rounds/admin/kiosk.py).
On a kiosk every voter starts on a clean ballot: taking a code or account to the ballot
clears the session first; the receipt ends the session (and logs out); after two minutes
without a request the server clears the session; and the pages carry a small script
(static/js/kiosk.js, with a meta refresh for browsers without it) that goes back to the
start after two minutes without input. Choices are never kept on a kiosk.
"""

from __future__ import annotations

import time

from flask import current_app, g, request, session
from flask_login import logout_user
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "bb_kiosk"
#: Seconds without input after which a kiosk clears everything.
IDLE_SECONDS = 120
#: The longest a device stays a kiosk before an administrator marks it again.
MAX_HOURS = 24 * 14


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="kiosk")


def cookie_value(label: str, hours: int, now: float | None = None) -> str:
    """Return the signed cookie value that marks a device as a kiosk for ``hours``."""
    until = int((now or time.time()) + hours * 3600)
    return _serializer().dumps({"label": label, "until": until})


def kiosk_label() -> str | None:
    """Return the label of this device when it carries a valid, unexpired kiosk cookie."""
    if "kiosk" not in g:
        g.kiosk = None
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                data = _serializer().loads(raw)
            except BadSignature:
                data = None
            if isinstance(data, dict) and int(data.get("until", 0)) > time.time():
                g.kiosk = str(data.get("label") or "")
    return g.kiosk


def is_kiosk() -> bool:
    """Tell whether this request comes from a device marked as a kiosk."""
    return kiosk_label() is not None


def clear_voter() -> None:
    """End everything of the voter on this device: the login and the whole session."""
    logout_user()
    session.clear()


def idle_check() -> None:
    """On a kiosk, clear the session when the previous request is more than two minutes old."""
    if request.endpoint == "static" or not is_kiosk():
        return
    now = int(time.time())
    seen = session.get("kiosk_seen")
    if seen is not None and now - int(seen) > IDLE_SECONDS:
        clear_voter()
    session["kiosk_seen"] = now
