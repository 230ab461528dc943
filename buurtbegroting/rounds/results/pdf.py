"""Shared pieces of the results PDFs (reportlab): styles, the QR code drawn as vectors, output."""

from __future__ import annotations

import io

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

STYLES = getSampleStyleSheet()
BIG = ParagraphStyle("big", parent=STYLES["Title"], fontSize=30, leading=36)
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=13, leading=18)


def qr_drawing(data: str, size_mm: float = 45) -> Drawing:
    """Return a QR code as a vector drawing of ``size_mm`` square (no raster image)."""
    widget = QrCodeWidget(data, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    size = size_mm * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


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
