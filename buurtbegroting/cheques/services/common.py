"""What every cheque service shares: status sets, the refusal, code hashes, limits."""

from __future__ import annotations

from flask import current_app

from buurtbegroting.domain import ActionRefused
from buurtbegroting.domain.codes import code_hash
from buurtbegroting.domain.ideas import FUNDED_STATUSES, SETUP_STATUSES  # noqa: F401
from buurtbegroting.keys import code_hash_key

CHEQUE_PURPOSE = "cheque"


AUTHOR_MARK = "author-"


INSERT_CHUNK = 5_000


class ChequeRefused(ActionRefused):
    """A rule refused the action; ``messages`` are translated, ready to show."""


def cheque_hash(code: str, key: bytes | None = None) -> str:
    """Return the stored hash of a normalised cheque code."""
    return code_hash(code, key or code_hash_key(), CHEQUE_PURPOSE)


def max_target_cents() -> int:
    """Return the highest target an initiative may set."""
    return int(current_app.config["CHEQUE_MAX_TARGET_CENTS"])
