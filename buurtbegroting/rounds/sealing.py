"""Sealed ballots: choices sealed to the round's public key at casting, opened at closing.

Each round has a key pair derived from BALLOT_KEY and the round id (HMAC-SHA256 as the
seed of an X25519 key). Only the public key is stored (``BudgetRound.ballot_public_key``, set
at the first ballot); casting needs nothing else. A libsodium sealed box is anonymous: it
holds no sender key, so an envelope says nothing about who sealed it. The plain text is
padded to one length per area, so the length of an envelope does not tell how many ideas
were chosen.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from buurtbegroting.keys import ballot_key


class KeyMismatch(Exception):
    """BALLOT_KEY is not the key this round's ballots were sealed with."""


@dataclass(frozen=True)
class OpenedBallot:
    """The content of one opened envelope."""

    choices: dict[int, int]
    cast_on: date
    is_paper: bool
    #: The receipt number the voter was shown (None for paper ballots).
    receipt: str | None = None


def private_key(round_id: int) -> PrivateKey:
    """Return the round's private key, derived from BALLOT_KEY (never stored)."""
    seed = hmac.new(ballot_key(), f"ballot-seal:{round_id}".encode(), hashlib.sha256).digest()
    return PrivateKey(seed)


def public_key_hex(round_id: int) -> str:
    """Return the round's public key as hex."""
    return bytes(private_key(round_id).public_key).hex()


def padded_length(item_count: int) -> int:
    """Return the plain-text length of every envelope of an area with this many ideas."""
    # Room for every idea with large ids and points, the day and the receipt number;
    # rounded to 256 bytes.
    needed = 96 + 16 * max(item_count, 1)
    return -(-needed // 256) * 256


def seal(
    public_hex: str,
    choices: dict[int, int],
    cast_on: date,
    is_paper: bool,
    item_count: int,
    receipt: str | None = None,
) -> bytes:
    """Seal a ballot's choices, day and receipt number to a public key, padded to one length."""
    content = {
        "c": sorted([int(i), int(p)] for i, p in choices.items()),
        "d": cast_on.isoformat(),
        "p": bool(is_paper),
    }
    if receipt is not None:
        content["r"] = receipt
    body = json.dumps(content, separators=(",", ":")).encode()
    length = max(padded_length(item_count), len(body))
    return SealedBox(PublicKey(bytes.fromhex(public_hex))).encrypt(body.ljust(length, b" "))


def opener(round_id: int, stored_public_hex: str | None):
    """Return a function that opens this round's envelopes; refuse when the key changed."""
    key = private_key(round_id)
    if stored_public_hex is not None and bytes(key.public_key).hex() != stored_public_hex:
        raise KeyMismatch(round_id)
    box = SealedBox(key)

    def open_envelope(envelope: bytes) -> OpenedBallot:
        try:
            data = json.loads(box.decrypt(envelope))
        except CryptoError as error:
            raise KeyMismatch(round_id) from error
        return OpenedBallot(
            choices={int(i): int(p) for i, p in data["c"]},
            cast_on=date.fromisoformat(data["d"]),
            is_paper=bool(data["p"]),
            receipt=data.get("r"),
        )

    return open_envelope
