"""Receipts as PDF: parsed with pypdf; scripts, attachments and garbage are refused."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from sqlalchemy import func, select

from buurtbegroting.accountability.receipts import _ACTIVE_BYTES, InvalidReceipt, check_receipt
from buurtbegroting.models import Expense
from tests.factories.accountability import PDF, pdf_bytes, upload

ACTIVE = "Dit PDF-bestand bevat een script of een bijlage."
UNREADABLE = "We kunnen dit PDF-bestand niet lezen"


def _open_action_js() -> bytes:
    """A PDF whose catalogue runs a script when opened, written without pypdf's add_js."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_plain_pdf_is_accepted_as_it_is():
    receipt = check_receipt(PDF)
    assert receipt.mimetype == "application/pdf" and receipt.data == PDF


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (pdf_bytes(javascript="app.alert('hallo')"), "pdf_active"),
        (pdf_bytes(attachment=b"MZ\x90\x00 a program"), "pdf_active"),
        (_open_action_js(), "pdf_active"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 200, "pdf_unreadable"),
        (b"%PDF-", "pdf_unreadable"),
        (PDF[: len(PDF) // 2], "pdf_unreadable"),
    ],
)
def test_active_or_broken_pdfs_are_refused(data, code):
    with pytest.raises(InvalidReceipt) as refused:
        check_receipt(data)
    assert refused.value.code == code


def test_pdf_with_a_name_written_in_hex_is_still_found():
    # /J#53 is /JS spelled with a hex escape: the raw bytes do not match, the parser does.
    data = _open_action_js().replace(b"/JS ", b"/J#53 ").replace(b"/JavaScript", b"/J#61vaScript")
    assert not _ACTIVE_BYTES.search(data)
    with pytest.raises(InvalidReceipt) as refused:
        check_receipt(data)
    assert refused.value.code == "pdf_active"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdf_bytes(javascript="app.alert(1)"), ACTIVE),
        (pdf_bytes(attachment=b"secret"), ACTIVE),
        (b"%PDF-1.4 not really a pdf", UNREADABLE),
    ],
)
def test_the_expense_form_says_why_a_pdf_is_refused(client, login, world, db, data, message):
    login(world.author)
    response = client.post(
        f"/verantwoording/idee/{world.idea.id}/uitgaven",
        data={
            "description": "Verf",
            "amount": "12,50",
            "spent_on": "2026-03-01",
            "receipt": upload(data, "bon.pdf"),
        },
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Expense)) == 0
