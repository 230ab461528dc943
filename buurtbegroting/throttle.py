"""Counting failed attempts (passwords, voting codes, cheque codes) without locking out others.

Two kinds of count, both kept in the rate-limit store (Redis in production, so that every
gunicorn process and machine shares them):

- a **limit** (``Throttle(..., slow=False)``): after N failures in a window the key waits
  until that window ends. Used per (client, account) for passwords: the attacker's client
  loses that account for a while; the account's owner, on another connection, does not.
- a **slow-down** (``slow=True``): the first N failures in the window are free; after that
  every failure makes the key wait a little longer (RATELIMIT_SLOWDOWN_FIRST seconds,
  doubled each time, at most RATELIMIT_SLOWDOWN_MAX). Used per client: a library where one
  visitor guesses codes makes the others wait seconds, never an hour.

A client is its address as the trusted proxy reports it (see PROXY_FIX_HOPS); IPv6
addresses count per /64, the block one household or phone gets.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Response, current_app, make_response, request
from flask_babel import _, format_timedelta
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from buurtbegroting.extensions import limiter
from buurtbegroting.keys import code_hash_key


class TooManyAttempts(TooManyRequests):
    """A 429 that says how long to wait (page text and Retry-After header)."""

    def __init__(self, wait_seconds: int):
        self.wait_seconds = max(1, int(wait_seconds))
        super().__init__(description=wait_text(self.wait_seconds))

    def get_headers(self, environ=None, scope=None):
        """Add Retry-After to the usual headers."""
        return [*super().get_headers(environ, scope), ("Retry-After", str(self.wait_seconds))]


def wait_text(seconds: int) -> str:
    """Return "Wait 40 seconds and try again." in the visitor's language (minutes from 2 on)."""
    wait = format_timedelta(timedelta(seconds=seconds), threshold=2, granularity="second")
    return _("Wait %(time)s and try again.", time=wait)


def client_key() -> str:
    """Return the client: its address (IPv4) or its /64 network (IPv6)."""
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_key(email: str | None) -> str:
    """Return a keyed hash of a typed e-mail address (no address is kept in the store)."""
    normalised = (email or "").strip().lower().encode()
    return hmac.new(code_hash_key(), b"throttle:" + normalised, hashlib.sha256).hexdigest()[:32]


class Throttle:
    """Failed attempts per key, counted in the windows of a limit setting."""

    def __init__(self, name: str, setting: str, *, slow: bool):
        self.name = name
        self.setting = setting
        self.slow = slow

    def _on(self) -> bool:
        return bool(current_app.config["RATELIMIT_ENABLED"])

    def _windows(self):
        return parse_many(current_app.config[self.setting])

    def _key(self, ids: tuple[str, ...], part: str) -> str:
        return "/".join(("throttle", self.name, *ids, part))

    def _window_key(self, ids: tuple[str, ...], window) -> str:
        return self._key(ids, f"{window.amount}-per-{window.get_expiry()}s")

    def wait(self, *ids: str) -> int:
        """Return the seconds this key must still wait before its next try (0: go ahead)."""
        if not self._on():
            return 0
        storage = limiter.limiter.storage
        now = time.time()
        if self.slow:
            key = self._key(ids, "wait")
            return math.ceil(storage.get_expiry(key) - now) if storage.get(key) else 0
        waits = [0]
        for window in self._windows():
            key = self._window_key(ids, window)
            if storage.get(key) >= window.amount:
                waits.append(math.ceil(storage.get_expiry(key) - now))
        return max(waits)

    def fail(self, *ids: str) -> int:
        """Count a failure; return the seconds the key must now wait (0: none)."""
        if not self._on():
            return 0
        storage = limiter.limiter.storage
        counts = [
            (window, storage.incr(self._window_key(ids, window), window.get_expiry()))
            for window in self._windows()
        ]
        if self.slow:
            over = max(count - window.amount for window, count in counts)
            if over >= 0:
                config = current_app.config
                delay = min(
                    config["RATELIMIT_SLOWDOWN_MAX"], config["RATELIMIT_SLOWDOWN_FIRST"] * 2**over
                )
                key = self._key(ids, "wait")
                storage.clear(key)
                storage.incr(key, int(delay))
        return self.wait(*ids)

    def check(self, *ids: str) -> None:
        """Raise TooManyAttempts while this key must wait."""
        seconds = self.wait(*ids)
        if seconds > 0:
            raise TooManyAttempts(seconds)

    def guard(self, ids: Callable[[], tuple[str, ...]], failed: Callable[[Response], bool]):
        """Decorate a view: a POST waits while its key must, and counts when ``failed`` says so."""

        def decorate(view):
            @wraps(view)
            def wrapped(*args, **kwargs):
                if request.method != "POST":
                    return view(*args, **kwargs)
                key = ids()
                self.check(*key)
                response = make_response(view(*args, **kwargs))
                if failed(response):
                    self.fail(*key)
                return response

            return wrapped

        return decorate


#: Wrong passwords for one account from one client: a limit (the attacker's client waits).
LOGIN_ACCOUNT = Throttle("login-account", "RATELIMIT_LOGIN", slow=False)
#: Wrong passwords from one client for any account: a slow-down (a shared address goes on).
LOGIN_CLIENT = Throttle("login-client", "RATELIMIT_LOGIN_CLIENT", slow=True)
#: Wrong voting codes from one client, per round: a slow-down.
VOTING_CODES = Throttle("voting-codes", "RATELIMIT_CODES", slow=True)
#: Unknown cheque codes from one client: a slow-down.
CHEQUE_CODES = Throttle("cheque-codes", "CHEQUE_FAIL_LIMIT", slow=True)
