"""What a print run needs besides its codes: the letterhead and the translated words.

Plain data, built once per run (``texts.py`` builds them from the configuration and the
catalogues), so the writers need no Flask request and no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l


class PrintRefused(ValueError):
    """The print run cannot start: the message says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Letterhead:
    """The municipality as it appears on paper."""

    name: str
    logo: Path | None


def letterhead(name: str, logo: str | Path | None) -> Letterhead:
    """Return the letterhead; refuse a logo path that is not a readable image file."""
    if not logo:
        return Letterhead(name=name, logo=None)
    path = Path(logo)
    if not path.is_file():
        raise PrintRefused(
            _l("The logo file %(path)s does not exist. Check MUNICIPALITY_LOGO.", path=str(path))
        )
    if path.suffix.lower() not in {".png", ".jpg", ".jpeg"}:
        raise PrintRefused(_l("The logo must be a PNG or JPEG file, not %(path)s.", path=str(path)))
    return Letterhead(name=name, logo=path)


def check_part_size(part_size) -> int:
    """Return the number of letters per PDF, or refuse anything but a whole number above 0."""
    if not isinstance(part_size, int) or isinstance(part_size, bool) or part_size < 1:
        raise PrintRefused(
            _l(
                "The number of letters per PDF must be a whole number above 0, not %(value)s.",
                value=repr(part_size),
            )
        )
    return part_size


@dataclass(frozen=True)
class LetterText:
    """The words of a voting letter in one language."""

    lang: str
    sender: str
    recipient: str
    title: str
    area: str
    intro: str
    dates: str
    code_label: str
    how: str
    steps: tuple[str, str, str]
    keep: str
    help: str
    #: On the front, in the back's language: "Read this letter in English on the back."
    other_side: str = ""


@dataclass(frozen=True)
class LetterSettings:
    """Everything a voting letter shows besides its code."""

    letterhead: Letterhead
    #: The voting page; the QR code links to ``vote_url + "#" + code``.
    vote_url: str
    area_code: str
    area_name: str
    front: LetterText
    back: LetterText | None = None
    title: str = ""


@dataclass(frozen=True)
class ChequeText:
    """The words on a cheque."""

    lang: str
    title: str
    value: str
    valid: str
    how: str
    code_label: str


@dataclass(frozen=True)
class ChequeSettings:
    """Everything a cheque shows besides its code, number and neighbourhood."""

    letterhead: Letterhead
    #: The redeem page; the QR code links to ``redeem_url + "?code=" + code``.
    redeem_url: str
    text: ChequeText
    title: str = ""
