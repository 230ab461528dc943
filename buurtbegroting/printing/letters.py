"""Voting letters as PDF for a print shop: one A4 page per code (two with a second language).

What is the same on every letter (letterhead, address window, texts, the box around the
code) is drawn once per file as a form XObject; each page places that form and adds only
its own QR code (vector rectangles), the code in groups and a running number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm

from buurtbegroting.domain.codes import LENGTH, format_code
from buurtbegroting.printing import drawing
from buurtbegroting.printing.drawing import (
    ACCENT,
    BOLD,
    FONT,
    GREY,
    ITALIC,
    MONO,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    block,
)
from buurtbegroting.printing.parts import PrintResult, write_zip
from buurtbegroting.printing.settings import LetterSettings, LetterText

#: The columns of the mail-merge CSV (as the HTML letters' codes.csv).
CSV_HEADER = ["code", "area_code", "area_name", "url"]
LEFT = 22 * mm
RIGHT = PAGE_WIDTH - 20 * mm
WIDTH = RIGHT - LEFT
QR_SIZE = 46 * mm
BOX_HEIGHT = 54 * mm


@dataclass(frozen=True)
class Slots:
    """Where a page puts its own parts on top of the form."""

    form: str
    qr_x: float
    qr_y: float
    code_x: float
    code_y: float


def _head(canvas, settings: LetterSettings, text: LetterText, logo) -> float:
    """Draw the letterhead; return the y under it."""
    top = PAGE_HEIGHT - 14 * mm
    drawing.draw_logo(canvas, logo, LEFT, top)
    name_x = LEFT + logo.width + (4 * mm if logo.width else 0)
    canvas.setFont(BOLD, 17)
    canvas.setFillColorRGB(*ACCENT)
    canvas.drawString(name_x, top - 9 * mm, text.sender)
    canvas.setFont(FONT, 9.5)
    canvas.setFillColorRGB(*GREY)
    canvas.drawString(name_x, top - 14 * mm, settings.title)
    canvas.setFillColorRGB(0, 0, 0)
    return top - max(logo.height, 16 * mm)


def _footer(canvas, settings: LetterSettings, text: LetterText) -> None:
    canvas.setStrokeColorRGB(*ACCENT)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, 17 * mm, RIGHT, 17 * mm)
    canvas.setFont(FONT, 8)
    canvas.setFillColorRGB(*GREY)
    canvas.drawString(LEFT, 12.5 * mm, f"{text.sender} · {settings.vote_url}")
    canvas.setFillColorRGB(0, 0, 0)


def _code_box(canvas, settings: LetterSettings, text: LetterText, y_top: float, name: str):
    """Draw the box around the code and the link in words; return the slots for each page."""
    y = y_top - BOX_HEIGHT
    canvas.setStrokeColorRGB(*ACCENT)
    canvas.setFillColorRGB(0.94, 0.96, 0.98)
    canvas.setLineWidth(1.2)
    canvas.roundRect(LEFT, y, WIDTH, BOX_HEIGHT, 3 * mm, stroke=1, fill=1)
    qr_x, qr_y = LEFT + 4 * mm, y + (BOX_HEIGHT - QR_SIZE) / 2
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(qr_x, qr_y, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    text_x = qr_x + QR_SIZE + 6 * mm
    canvas.setFont(BOLD, 12)
    canvas.drawString(text_x, y_top - 17 * mm, text.code_label)
    return Slots(name, qr_x, qr_y, text_x, y_top - 31 * mm), y


def _body(canvas, settings: LetterSettings, text: LetterText, *, window: bool, name: str):
    """Draw everything but the code on one side of a letter; return the page slots."""
    logo = drawing.read_logo(settings.letterhead, 20 * mm, 60 * mm)
    y = _head(canvas, settings, text, logo)
    if window:
        # The window of a standard Dutch envelope: 22 mm from the left, about 50 mm down.
        block(canvas, text.recipient, LEFT, PAGE_HEIGHT - 55 * mm, 85 * mm, size=10.5)
        block(canvas, settings.area_name, LEFT, PAGE_HEIGHT - 60 * mm, 85 * mm, size=10.5)
        if text.other_side:
            block(
                canvas,
                text.other_side,
                120 * mm,
                PAGE_HEIGHT - 55 * mm,
                RIGHT - 120 * mm,
                font=ITALIC,
                size=9.5,
                color=GREY,
            )
        y = PAGE_HEIGHT - 92 * mm
    else:
        y -= 12 * mm
    y = block(canvas, text.title, LEFT, y, WIDTH, font=BOLD, size=16, color=ACCENT)
    y = block(canvas, text.area, LEFT, y, WIDTH, size=10.5, color=GREY) - 3 * mm
    y = block(canvas, text.intro, LEFT, y, WIDTH) - 2 * mm
    y = block(canvas, text.dates, LEFT, y, WIDTH, font=BOLD)
    slots, y = _code_box(canvas, settings, text, y - 1 * mm, name)
    y = block(canvas, text.how, LEFT, y - 10 * mm, WIDTH, font=BOLD, size=12.5, color=ACCENT)
    for number, step in enumerate(text.steps, start=1):
        canvas.setFont(BOLD, 11)
        canvas.drawString(LEFT, y, f"{number}.")
        y = block(canvas, step, LEFT + 6 * mm, y, WIDTH - 6 * mm) - 1 * mm
    # The link in words, to type when scanning is not possible (the code is typed on the page).
    y = block(
        canvas,
        settings.vote_url,
        LEFT + 6 * mm,
        y - 2 * mm,
        WIDTH,
        font=BOLD,
        size=14,
        color=ACCENT,
    )
    y = block(canvas, text.keep, LEFT, y - 5 * mm, WIDTH, font=BOLD)
    block(canvas, text.help, LEFT, y - 3 * mm, WIDTH, size=10, color=GREY)
    _footer(canvas, settings, text)
    return slots


class LetterDocument:
    """One PDF of letters: forms drawn once, then a page (or two) per code."""

    def __init__(self, fh, settings: LetterSettings, painter: drawing.QrPainter):
        self.settings = settings
        self.painter = painter
        self.pages = 0
        self.canvas = drawing.new_canvas(fh, settings.title, settings.front.lang)
        self.sides = [self._form(settings.front, "front", window=True)]
        if settings.back is not None:
            self.sides.append(self._form(settings.back, "back", window=False))

    def _form(self, text: LetterText, name: str, *, window: bool) -> Slots:
        self.canvas.beginForm(name)
        slots = _body(self.canvas, self.settings, text, window=window, name=name)
        self.canvas.endForm()
        return slots

    def add(self, code: str, number: int) -> None:
        """Add the page(s) of one code."""
        canvas = self.canvas
        url = self.settings.vote_url + "#" + code
        shown = drawing.grouped(code)
        for slots in self.sides:
            canvas.doForm(slots.form)
            drawing.draw_qr(canvas, self.painter, url, slots.qr_x, slots.qr_y, QR_SIZE)
            canvas.setFont(MONO, 23)
            canvas.drawString(slots.code_x, slots.code_y, shown)
            canvas.setFont(FONT, 7)
            canvas.setFillColorRGB(*GREY)
            canvas.drawRightString(RIGHT, 12.5 * mm, f"#{number}")
            canvas.setFillColorRGB(0, 0, 0)
            canvas.showPage()
            self.pages += 1

    def close(self) -> None:
        """Finish the PDF (writes it to its file)."""
        self.canvas.save()


def csv_row(settings: LetterSettings, code: str) -> list[str]:
    """Return the mail-merge row of a code: code in groups, area code and name, link."""
    return [
        format_code(code),
        settings.area_code,
        settings.area_name,
        settings.vote_url + "#" + code,
    ]


def write_letters_zip(
    codes: Iterable[str],
    out_path: str | Path,
    *,
    settings: LetterSettings,
    part_size: int,
    progress: Callable[[int], None] | None = None,
    part_name: Callable[[int], str] = lambda n: f"letters-{n:03d}.pdf",
    csv_name: str = "codes.csv",
) -> PrintResult:
    """Write the letters of the codes as PDFs of ``part_size`` letters plus the CSV, in one ZIP.

    :param progress: called now and then with the number of letters done since its last call.
    """
    painter = drawing.QrPainter(settings.vote_url + "#", LENGTH)
    return write_zip(
        codes,
        out_path,
        part_size=part_size,
        part_name=part_name,
        csv_name=csv_name,
        csv_header=CSV_HEADER,
        csv_row=lambda code: csv_row(settings, code),
        new_document=lambda fh: LetterDocument(fh, settings, painter),
        progress=progress,
    )
