"""The application's keys that are not Flask's own."""

from flask import current_app


def code_hash_key() -> bytes:
    """Return the key of the keyed hashes of voting and cheque codes (CODE_HASH_KEY, else SECRET_KEY)."""
    config = current_app.config
    return (config.get("CODE_HASH_KEY") or config["SECRET_KEY"]).encode()


def ballot_key() -> bytes:
    """Return the key the rounds' ballot-sealing key pairs are derived from.

    BALLOT_KEY, else (development) CODE_HASH_KEY, else SECRET_KEY. Production requires a
    BALLOT_KEY of its own: whoever holds it and a copy of the database taken during voting
    can open the sealed ballots (docs/security.md).
    """
    config = current_app.config
    return (
        config.get("BALLOT_KEY") or config.get("CODE_HASH_KEY") or config["SECRET_KEY"]
    ).encode()
