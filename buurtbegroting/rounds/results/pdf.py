"""Shared pieces of the results PDFs (reportlab): styles, the QR code drawn as vectors, output.

The QR code is drawn by the printing module's painter (filled rectangles, no raster image),
the same one the letters and cheque sheets use.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate

from buurtbegroting.printing.drawing import QrPainter, draw_qr

STYLES = getSampleStyleSheet()
BIG = ParagraphStyle("big", parent=STYLES["Title"], fontSize=30, leading=36)
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=13, leading=18)


class QrCode(Flowable):
    """A QR code of ``url``, ``size_mm`` square with its quiet zone, as vector graphics."""

    def __init__(self, url: str, size_mm: float = 60):
        super().__init__()
        self.url = url
        self.width = self.height = size_mm * mm

    def draw(self) -> None:
        """Draw the code at the flowable's origin."""
        draw_qr(self.canv, QrPainter(self.url, 0), self.url, 0, 0, self.width)


def build_pdf(story: list, title: str) -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF (no scripts, no attachments)."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    doc.build(story)
    return out.getvalue()
