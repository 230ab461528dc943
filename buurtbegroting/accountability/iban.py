"""IBAN bank account numbers: normalise, check (ISO 13616 mod-97), mask. No Flask here."""

from __future__ import annotations

import re

#: Lengths per country for the countries a Dutch initiative is likely to use.
LENGTHS = {"NL": 18, "BE": 16, "DE": 22, "FR": 27, "LU": 20, "GB": 22, "ES": 24, "IT": 27}


def normalise(text: str) -> str:
    """Return the IBAN without spaces, in capitals."""
    return re.sub(r"[\s.-]", "", text or "").upper()


def is_valid(text: str) -> bool:
    """Tell whether the text is an IBAN with a correct check (mod 97 == 1)."""
    iban = normalise(text)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", iban):
        return False
    expected = LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def formatted(text: str) -> str:
    """Return the IBAN in groups of four: NL91 ABNA 0417 1643 00."""
    iban = normalise(text)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def masked(text: str | None) -> str:
    """Return the IBAN with all but the country and the last four characters hidden."""
    if not text:
        return ""
    iban = normalise(text)
    return iban[:2] + "•" * max(0, len(iban) - 6) + iban[-4:]
