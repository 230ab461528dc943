"""Receipts: a PDF (parsed, without scripts or attachments) or a JPEG or PNG photo (re-encoded).

A PDF is kept as it was sent (a receipt is evidence), so it is checked instead of cleaned:
it must parse with pypdf, must not be encrypted, and no object reachable from its trailer
may hold JavaScript (``/JS``, ``/JavaScript``), launch another program (``/Launch``), carry
an attached file (``/EmbeddedFiles``, ``/EmbeddedFile``, ``/EF``) or rich media. The raw
bytes are searched for those names too, for objects not reachable from the trailer.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from buurtbegroting.domain import DomainError
from buurtbegroting.images import InvalidImage, process_photo

#: The largest receipt accepted (also for PDF files).
RECEIPT_MAX_BYTES = 10 * 1024 * 1024


class InvalidReceipt(DomainError):
    """The upload is not a receipt we accept."""

    def __init__(self, code: str):
        super().__init__(code)
        #: "too_large", "empty", "format", "pdf_unreadable" or "pdf_active".
        self.code = code


#: Names of PDF objects that run code or carry files.
ACTIVE_NAMES = frozenset(
    ["/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMedia"]
)
_ACTIVE_BYTES = re.compile(
    rb"/(JS|JavaScript|Launch|EmbeddedFiles?|EF|RichMedia)(?![A-Za-z0-9_.#-])"
)
#: Objects visited in one PDF at most (a receipt has a few dozen).
MAX_PDF_OBJECTS = 50_000


def _is_active(reader: PdfReader) -> bool:
    """Walk every object reachable from the trailer; return whether one runs code or holds files."""
    seen: set[tuple[int, int]] = set()
    todo = [reader.trailer]
    visited = 0
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return True
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in ACTIVE_NAMES:
                    return True
                if isinstance(value, NameObject) and value in ACTIVE_NAMES:
                    return True  # /S /JavaScript, /S /Launch, /Type /EmbeddedFile
                todo.append(value)
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    return False


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that does not parse, is encrypted, or holds scripts or attached files."""
    if _ACTIVE_BYTES.search(data):
        raise InvalidReceipt("pdf_active")
    # pypdf reports repairs of slightly broken files as warnings; they are no reason to refuse.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InvalidReceipt("pdf_unreadable")
        if len(reader.pages) < 1:
            raise InvalidReceipt("pdf_unreadable")
        active = _is_active(reader)
    except InvalidReceipt:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise InvalidReceipt("pdf_unreadable") from None
    if active:
        raise InvalidReceipt("pdf_active")


@dataclass
class Receipt:
    """A checked receipt, ready to be written to the private folder."""

    extension: str
    mimetype: str
    data: bytes


def check_receipt(data: bytes, max_bytes: int = RECEIPT_MAX_BYTES) -> Receipt:
    """Return the receipt when it is a PDF, JPEG or PNG within the size limit; photos lose their metadata."""
    if len(data) > max_bytes:
        raise InvalidReceipt("too_large")
    if not data:
        raise InvalidReceipt("empty")
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        return Receipt(".pdf", "application/pdf", data)
    try:
        photo = process_photo(data, max_bytes)
    except InvalidImage as error:
        raise InvalidReceipt(
            "too_large" if error.code in ("too_large", "too_many_pixels") else "format"
        ) from None
    if photo.extension == ".jpg":
        return Receipt(".jpg", "image/jpeg", photo.data)
    if photo.extension == ".png":
        return Receipt(".png", "image/png", photo.data)
    raise InvalidReceipt("format")
