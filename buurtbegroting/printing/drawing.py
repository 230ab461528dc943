"""Drawing pieces shared by letters and cheque sheets: QR codes as vectors, text blocks, the logo.

Only base-14 PDF fonts are used (Helvetica and Courier, WinAnsi: every Dutch and English
character and the euro sign), so no font file is read, subset or embedded per page.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from buurtbegroting.printing.settings import Letterhead
from buurtbegroting.qr import QrMatrices, dark_runs, fixed_mask_code, matrix_bits

PAGE_WIDTH, PAGE_HEIGHT = A4
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
ITALIC = "Helvetica-Oblique"
MONO = "Courier-Bold"
#: The municipality's colour for rules and boxes (a dark blue that prints well in grey too).
ACCENT = (0.12, 0.31, 0.55)
GREY = (0.33, 0.33, 0.33)
#: Page streams are Flate-compressed only: reportlab's ASCII85 step (pure Python) would
#: double the time per page and make the file a quarter larger, for 7-bit-clean output
#: no print shop needs. Read when a page is finished, so it is set for the whole process.
rl_config.useA85 = 0
#: Empty modules around a QR code, as the QR standard asks.
QUIET = 4


def new_canvas(fh, title: str, lang: str) -> Canvas:
    """Return a canvas on an open binary file: A4, compressed page streams, fixed metadata."""
    canvas = Canvas(fh, pagesize=A4, pageCompression=1, invariant=1, lang=lang)
    canvas.setTitle(title)
    canvas.setCreator("Buurtbegroting")
    return canvas


#: The longest link ending (after the prefix) drawn from precomputed differences.
MAX_ENDING = 32


class QrPainter:
    """Draw QR codes of ``prefix + code`` links as filled rectangles (vector graphics).

    A row is cut in pieces of eight modules; the rectangles of each (row, piece, pattern)
    are formatted once and then reused, so a code costs a hundred look-ups, not hundreds
    of formatted numbers. A run that crosses a piece boundary becomes two touching
    rectangles of the same fill, which print as one.
    """

    def __init__(self, prefix: str, code_length: int):
        self.prefix = prefix
        self.matrices = QrMatrices(prefix, code_length)
        #: Matrices per length of the ending: the code alone, or the code in groups
        #: (``ABCD-EFGH-JKMNP``, as the cheques job writes its links), made on first use.
        self._by_length = {code_length: self.matrices}
        self._pieces: dict[tuple[int, int, int], str] = {}

    def matrix(self, url: str) -> tuple[int, int]:
        """Return (size, bits) of a link's matrix (fast when it is ``prefix`` + a short ASCII end)."""
        ending = url[len(self.prefix) :]
        if url.startswith(self.prefix) and ending.isascii():
            matrices = self._by_length.get(len(ending))
            if matrices is None and len(ending) <= MAX_ENDING and len(self._by_length) < 4:
                matrices = self._by_length[len(ending)] = QrMatrices(self.prefix, len(ending))
            if matrices is not None:
                return matrices.size, matrices.bits(ending)
        code = fixed_mask_code(url.encode("utf-8"))
        return code.modules_count, matrix_bits(code)

    def _piece(self, y: int, piece: int, pattern: int) -> str:
        row = format(pattern, "08b")[::-1]
        text = " ".join(f"{piece * 8 + x} {y} {w} 1 re" for x, _y, w in dark_runs([row]))
        self._pieces[(y, piece, pattern)] = text
        return text

    def ops(self, url: str, x: float, y: float, size: float) -> str:
        """Return the PDF operators of a QR code in a square (quiet zone included) at (x, y)."""
        count, bits = self.matrix(url)
        module = size / (count + 2 * QUIET)
        top = y + size - QUIET * module
        left = x + QUIET * module
        pieces = self._pieces
        parts = []
        for row in range(count):
            line = bits >> (row * count) & ((1 << count) - 1)
            piece = 0
            while line:
                pattern = line & 0xFF
                if pattern:
                    key = (row, piece, pattern)
                    parts.append(pieces.get(key) or self._piece(*key))
                line >>= 8
                piece += 1
        # One transformation into module units (y downwards), then whole-number rectangles.
        return f"q 0 g {module:.4f} 0 0 {-module:.4f} {left:.3f} {top:.3f} cm {' '.join(parts)} f Q"


def draw_qr(canvas: Canvas, painter: QrPainter, url: str, x: float, y: float, size: float):
    """Draw one QR code on the canvas."""
    canvas.addLiteral(painter.ops(url, x, y, size))


def lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Return the text broken into lines that fit the width; a long link breaks after a slash."""
    result: list[str] = []
    for line in simpleSplit(text, font, size, width):
        while stringWidth(line, font, size) > width:
            cut = _cut(line, font, size, width)
            result.append(line[:cut])
            line = line[cut:].lstrip()
        result.append(line)
    return result


def _cut(line: str, font: str, size: float, width: float) -> int:
    """Return where to cut a line that is too wide: after the last slash that fits, or a letter."""
    fits = 1
    while fits < len(line) and stringWidth(line[: fits + 1], font, size) <= width:
        fits += 1
    slash = line.rfind("/", 0, fits)
    return slash + 1 if slash > 0 else fits


def block(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    width: float,
    *,
    font: str = FONT,
    size: float = 11,
    leading: float | None = None,
    color=(0, 0, 0),
) -> float:
    """Draw a wrapped paragraph with its first baseline at y; return the y below it."""
    leading = leading or size * 1.35
    canvas.setFillColorRGB(*color)
    text_object = canvas.beginText(x, y)
    text_object.setFont(font, size, leading)
    for line in lines(text, font, size, width):
        text_object.textLine(line)
    canvas.drawText(text_object)
    canvas.setFillColorRGB(0, 0, 0)
    return text_object.getY()


@dataclass(frozen=True)
class Logo:
    """A logo read once, with its drawn size."""

    image: ImageReader | None
    width: float
    height: float


def read_logo(head: Letterhead, height: float, max_width: float) -> Logo:
    """Read the logo once (drawn inside a form, so the image is in the PDF once per file)."""
    if head.logo is None:
        return Logo(image=None, width=0, height=0)
    image = ImageReader(str(head.logo))
    pixels_w, pixels_h = image.getSize()
    width = height * pixels_w / pixels_h
    if width > max_width:
        width, height = max_width, max_width * pixels_h / pixels_w
    return Logo(image=image, width=width, height=height)


def draw_logo(canvas: Canvas, logo: Logo, x: float, top: float) -> None:
    """Draw the logo with its top-left corner at (x, top)."""
    if logo.image is not None:
        canvas.drawImage(logo.image, x, top - logo.height, logo.width, logo.height, mask="auto")


def grouped(code: str) -> str:
    """Return the code in groups with spaces, as printed: ABCD EFGH JKMNP."""
    from buurtbegroting.domain.codes import format_code

    return format_code(code).replace("-", "  ")
