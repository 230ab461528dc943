"""Receipts: a PDF (checked by its first bytes) or a JPEG or PNG photo (re-encoded)."""

from __future__ import annotations

from dataclasses import dataclass

from buurtbegroting.domain import DomainError
from buurtbegroting.images import InvalidImage, process_photo

#: The largest receipt accepted (also for PDF files).
RECEIPT_MAX_BYTES = 10 * 1024 * 1024


class InvalidReceipt(DomainError):
    """The upload is not a receipt we accept."""

    def __init__(self, code: str):
        super().__init__(code)
        #: "too_large", "empty", "format" or "not_readable".
        self.code = code


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
