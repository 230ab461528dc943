"""Cheque sheets as PDF for a print shop: eight cheques on an A4 page, with cutting lines.

The card (letterhead, title, value, dates, how to use it) is drawn once per file as a form
XObject and placed eight times a page; each cheque adds its QR code (vector rectangles),
its code in groups and its number and neighbourhood.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from reportlab.lib.units import mm

from buurtbegroting.cheques.export import CSV_HEADER, NewCheque, csv_row
from buurtbegroting.domain.codes import LENGTH
from buurtbegroting.printing import drawing
from buurtbegroting.printing.drawing import (
    ACCENT,
    BOLD,
    FONT,
    GREY,
    MONO,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    block,
)
from buurtbegroting.printing.parts import PrintResult, write_zip
from buurtbegroting.printing.settings import ChequeSettings

COLUMNS, ROWS = 2, 4
PER_PAGE = COLUMNS * ROWS
MARGIN = 10 * mm
CARD_WIDTH = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS
CARD_HEIGHT = (PAGE_HEIGHT - 2 * MARGIN) / ROWS
QR_SIZE = 36 * mm
PAD = 4 * mm
TEXT_X = PAD + QR_SIZE + 2 * mm
TEXT_WIDTH = CARD_WIDTH - TEXT_X - PAD


def _card(canvas, settings: ChequeSettings) -> float:
    """Draw what every cheque shows; return the baseline of the code."""
    text = settings.text
    logo = drawing.read_logo(settings.letterhead, 11 * mm, 30 * mm)
    drawing.draw_logo(canvas, logo, PAD, CARD_HEIGHT - PAD)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(PAD, PAD + 5 * mm, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    y = CARD_HEIGHT - PAD - 4 * mm
    y = block(canvas, text.title, TEXT_X, y, TEXT_WIDTH, font=BOLD, size=11, color=ACCENT)
    y = block(canvas, text.value, TEXT_X, y - 5 * mm, TEXT_WIDTH, font=BOLD, size=22) - 1 * mm
    block(canvas, text.code_label, TEXT_X, y, TEXT_WIDTH, size=8, color=GREY)
    code_y = y - 5.5 * mm
    y = block(canvas, text.valid, TEXT_X, code_y - 6 * mm, TEXT_WIDTH, size=8)
    block(canvas, text.how, TEXT_X, y - 1 * mm, TEXT_WIDTH, size=7.5, color=GREY)
    return code_y


def _cutting_lines(canvas) -> None:
    """Draw dashed lines between the cheques and around them."""
    canvas.setStrokeColorRGB(0.55, 0.55, 0.55)
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    for column in range(COLUMNS + 1):
        x = MARGIN + column * CARD_WIDTH
        canvas.line(x, MARGIN, x, PAGE_HEIGHT - MARGIN)
    for row in range(ROWS + 1):
        y = MARGIN + row * CARD_HEIGHT
        canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    canvas.setDash()


class ChequeDocument:
    """One PDF of cheque sheets: the card drawn once, eight cheques a page."""

    def __init__(self, fh, settings: ChequeSettings, painter: drawing.QrPainter):
        self.settings = settings
        self.painter = painter
        self.pages = 0
        self.on_page = 0
        self.canvas = drawing.new_canvas(fh, settings.title, settings.text.lang)
        self.canvas.beginForm("card", 0, 0, CARD_WIDTH, CARD_HEIGHT)
        self.code_y = _card(self.canvas, settings)
        self.canvas.endForm()
        self.canvas.beginForm("sheet")
        _cutting_lines(self.canvas)
        self.canvas.endForm()

    def add(self, cheque: NewCheque, number: int) -> None:
        """Place one cheque in the next free spot; start a new page when the sheet is full."""
        canvas = self.canvas
        if self.on_page == 0:
            canvas.doForm("sheet")
        column, row = self.on_page % COLUMNS, self.on_page // COLUMNS
        x = MARGIN + column * CARD_WIDTH
        y = PAGE_HEIGHT - MARGIN - (row + 1) * CARD_HEIGHT
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm("card")
        drawing.draw_qr(canvas, self.painter, cheque.url, PAD, PAD + 5 * mm, QR_SIZE)
        canvas.setFont(MONO, 13)
        canvas.drawString(TEXT_X, self.code_y, drawing.grouped(cheque.code))
        canvas.setFont(FONT, 7)
        canvas.setFillColorRGB(*GREY)
        place = f" · {cheque.area_name}" if cheque.area_name else ""
        canvas.drawString(PAD + 4 * mm, PAD + 1 * mm, f"#{cheque.number}{place}")
        canvas.restoreState()
        self.on_page += 1
        if self.on_page == PER_PAGE:
            self._end_page()

    def _end_page(self) -> None:
        self.canvas.showPage()
        self.pages += 1
        self.on_page = 0

    def close(self) -> None:
        """Finish the last sheet and the PDF (writes it to its file)."""
        if self.on_page:
            self._end_page()
        self.canvas.save()


def write_cheques_zip(
    cheques: Iterable[NewCheque],
    out_path: str | Path,
    *,
    campaign,
    settings: ChequeSettings,
    part_size: int,
    base_name: str,
    progress: Callable[[int], None] | None = None,
) -> PrintResult:
    """Write cheque sheets as PDFs of ``part_size`` cheques plus the CSV, in one ZIP.

    :param campaign: the campaign (for the CSV's name, value and dates).
    :param base_name: names the files inside: ``<base>-print-001.pdf`` and ``<base>.csv``.
    """
    painter = drawing.QrPainter(settings.redeem_url + "?code=", LENGTH)
    return write_zip(
        cheques,
        out_path,
        part_size=part_size,
        part_name=lambda n: f"{base_name}-print-{n:03d}.pdf",
        csv_name=f"{base_name}.csv",
        csv_header=CSV_HEADER,
        csv_row=lambda cheque: csv_row(campaign, cheque),
        new_document=lambda fh: ChequeDocument(fh, settings, painter),
        progress=progress,
    )
