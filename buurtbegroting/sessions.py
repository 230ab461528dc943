"""The signed session cookie: Flask's, with its signer made once per secret key.

Flask builds a new serializer for every request, and itsdangerous derives the signing key
again for every signature it makes or checks. Both depend only on the secret keys, so they
are kept: the cookie, its signature and what it accepts are exactly Flask's.
"""

from __future__ import annotations

import functools

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer, want_bytes


class _KeptKeySigner(TimestampSigner):
    """A timestamp signer that derives each secret's key once per process."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        secret = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        return _derived(secret, self.salt, self.key_derivation, self.digest_method)


@functools.lru_cache(maxsize=16)
def _derived(secret: bytes, salt: bytes, derivation: str, digest_method) -> bytes:
    signer = TimestampSigner(
        secret, salt=salt, key_derivation=derivation, digest_method=digest_method
    )
    return signer.derive_key()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session with its serializer kept per secret key."""

    def __init__(self) -> None:
        self._kept: tuple[tuple, URLSafeTimedSerializer] | None = None

    def get_signing_serializer(self, app) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        # As Flask: the fallback keys, then the current key (itsdangerous signs with the last).
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        kept = self._kept
        if kept is not None and kept[0] == keys:
            return kept[1]
        serializer = URLSafeTimedSerializer(
            list(keys),
            salt=self.salt,
            serializer=self.serializer,
            signer=_KeptKeySigner,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )
        self._kept = (keys, serializer)
        return serializer
