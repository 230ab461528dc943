"""Receipt numbers: a random number the voter gets, sealed inside the ballot's envelope.

The number shows that a ballot was counted (it is in the sorted list published at closing),
not what the ballot says. Twelve characters from an alphabet without look-alikes
(no 0/O, 1/I/L, U), shown in three groups of four: about 5 × 10^17 numbers.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12


class InvalidReceipt(ValueError):
    """The text is not a receipt number."""


def new_receipt() -> str:
    """Return a new random receipt number, like ``K7QF-3MZD-X2WA``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_receipt(raw)


def format_receipt(raw: str) -> str:
    """Group twelve characters in threes of four with hyphens."""
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalize_receipt(text: str) -> str:
    """Read a typed receipt number (spaces, hyphens, lower case allowed); return it formatted."""
    raw = re.sub(r"[\s\-]", "", text or "").upper()
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        raise InvalidReceipt(text)
    return format_receipt(raw)
