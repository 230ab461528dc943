"""Translated messages for cheque codes, initiatives and count files."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from buurtbegroting.templating import format_cents

CODE_MESSAGES = {
    "length": _l("A code has 13 characters. Check that you typed all of them."),
    "characters": _l("This code contains a character that cannot be in a code."),
    "check": _l("This code contains a typing error. Check the characters."),
    "duplicate": _l("You entered this code twice."),
    "unknown": _l("We do not know this code. Check the characters."),
    "used": _l("This cheque has already been used."),
    "given_here": _l("This cheque has already been given to this initiative."),
    "void": _l("This cheque is no longer valid. It was replaced by a new one."),
    "not_checked": _l(
        "Not checked: too many unknown codes were entered. Wait a moment and try again."
    ),
    "target_reached": _l(
        "Not needed: the initiative has reached its target. This cheque is still valid for another initiative."
    ),
}

IDEA_MESSAGES = {
    "no_idea": _l("Choose an initiative."),
    "not_cheques": _l("This initiative does not collect cheques."),
    "not_collecting": _l("This initiative does not collect cheques."),
    "funded": _l("This initiative has reached its target and accepts no more cheques."),
    "not_reached": _l("This initiative did not reach its target and accepts no more cheques."),
    "date_passed": _l("The last day to give cheques to this initiative has passed."),
}

COUNT_FILE_MESSAGES = {
    "encoding": _l("The file is not a text file in UTF-8."),
    "columns": _l("Line %(line)d: give a neighbourhood code and a number."),
    "code": _l("Line %(line)d: %(code)s is not a neighbourhood code (BU…)."),
    "count": _l("Line %(line)d: %(value)s is not a number of addresses."),
    "repeated": _l("Line %(line)d: %(code)s appears twice."),
    "empty": _l("The file has no neighbourhoods."),
}


def code_message(result) -> str:
    """Return the sentence that explains what happened to one code."""
    status = result.status
    if status == "ok":
        return str(_l("Valid cheque of %(value)s.", value=format_cents(result.value_cents)))
    if status == "given":
        return str(_l("Given: %(value)s.", value=format_cents(result.value_cents)))
    if status == "expired":
        return str(
            _l(
                "This cheque has expired: it could be used until %(date)s.",
                date=format_date(result.detail, "long"),
            )
        )
    if status == "not_yet":
        return str(
            _l("This cheque can be used from %(date)s.", date=format_date(result.detail, "long"))
        )
    if status == "out_of_scope":
        return str(
            _l(
                "This cheque can only be given to initiatives in: %(areas)s.",
                areas=result.detail,
            )
        )
    if status == "too_many":
        return str(_l("At most 500 codes at once. Enter this code next time."))
    return str(CODE_MESSAGES.get(status, CODE_MESSAGES["unknown"]))


def count_file_message(line: int, code: str, params: dict) -> str:
    """Return the sentence for a problem in the file of address counts."""
    return str(COUNT_FILE_MESSAGES[code]) % {"line": line, **params}
