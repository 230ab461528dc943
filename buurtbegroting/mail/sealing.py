"""Encrypt the text of a secret message while it waits in the outbox.

The key is derived from MAIL_KEY (else SECRET_KEY) with HMAC-SHA256, so administrators,
who read the outbox through the application, never see a reset or invitation link, and a
copy of the database alone does not hold it either. The worker opens the text only to
hand it to the mail server, then erases it (docs/privacy.md, docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox


class Unreadable(Exception):
    """The sealed text cannot be opened with the configured key (it was changed)."""


def _box() -> SecretBox:
    config = current_app.config
    secret = (config.get("MAIL_KEY") or config["SECRET_KEY"]).encode()
    return SecretBox(hmac.new(secret, b"outbox-seal", hashlib.sha256).digest())


def seal(text: str) -> bytes:
    """Return the text encrypted and authenticated (a random nonce in front)."""
    return bytes(_box().encrypt(text.encode()))


def unseal(sealed: bytes) -> str:
    """Return the text of a sealed message, or raise Unreadable."""
    try:
        return _box().decrypt(bytes(sealed)).decode()
    except CryptoError as error:
        raise Unreadable(str(error)) from None
