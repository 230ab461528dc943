"""Print-ready PDFs for a print shop: voting letters and cheque sheets, in parts, in one ZIP.

Used by the download views, the commands and the job queue alike: nothing here needs a
Flask request. ``texts.py`` takes the words from the catalogues and the letterhead from
the configuration once (an app context is enough); ``letters.py`` and ``cheques.py`` draw
with reportlab; ``parts.py`` streams the pages into PDFs of a configured size inside a
ZIP on disk, next to the mail-merge CSV.
"""

from buurtbegroting.printing.cheques import write_cheques_zip
from buurtbegroting.printing.letters import write_letters_zip
from buurtbegroting.printing.parts import PrintResult, write_temporary
from buurtbegroting.printing.settings import (
    ChequeSettings,
    ChequeText,
    Letterhead,
    LetterSettings,
    LetterText,
    PrintRefused,
    letterhead,
)
from buurtbegroting.printing.texts import LANGUAGES, cheque_settings, letter_settings

__all__ = [
    "LANGUAGES",
    "ChequeSettings",
    "ChequeText",
    "LetterSettings",
    "LetterText",
    "Letterhead",
    "PrintRefused",
    "PrintResult",
    "write_temporary",
    "cheque_settings",
    "letter_settings",
    "letterhead",
    "write_cheques_zip",
    "write_letters_zip",
]
