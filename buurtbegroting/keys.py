"""The application's keys that are not Flask's own."""

from flask import current_app


def code_hash_key() -> bytes:
    """Return the key of the keyed hashes of voting and cheque codes (CODE_HASH_KEY, else SECRET_KEY)."""
    config = current_app.config
    return (config.get("CODE_HASH_KEY") or config["SECRET_KEY"]).encode()
