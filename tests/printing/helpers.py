"""Reading printed PDFs back: the text of every page, and the QR codes of a rendered page."""

from __future__ import annotations

import io
import re
import zipfile

import pypdfium2
import zxingcpp
from pypdf import PdfReader

#: A code in groups as printed: ABCD  EFGH  JKMNP.
PRINTED_CODE = re.compile(r"\b([0-9A-Z]{4})\s+([0-9A-Z]{4})\s+([0-9A-Z]{5})\b")


def printed_codes(pdf: bytes) -> list[str]:
    """Return the codes printed in the PDF, page by page, in order."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found += ["".join(groups) for groups in PRINTED_CODE.findall(page.extract_text())]
    return found


def page_text(pdf: bytes, index: int) -> str:
    """Return the text of one page."""
    return PdfReader(io.BytesIO(pdf)).pages[index].extract_text()


def page_count(pdf: bytes) -> int:
    """Return the number of pages."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def scanned_links(pdf: bytes, index: int = 0, scale: float = 3) -> list[str]:
    """Render one page as a picture (as a phone camera would see it) and decode its QR codes.

    The decoder is ZXing (zxing-cpp), the library most phone scanners are built on; OpenCV's
    detector, used before, missed about one code in a hundred on a sheet of eight.
    """
    document = pypdfium2.PdfDocument(pdf)
    try:
        picture = document[index].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.valid]


def zip_parts(path_or_bytes) -> zipfile.ZipFile:
    """Open a print ZIP from a path or from bytes."""
    if isinstance(path_or_bytes, bytes | bytearray):
        return zipfile.ZipFile(io.BytesIO(path_or_bytes))
    return zipfile.ZipFile(path_or_bytes)
