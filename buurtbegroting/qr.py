"""QR codes as inline SVG (for posters, letters and cheques)."""

import re
from html import escape

import qrcode
import qrcode.image.svg
from markupsafe import Markup


def qr_svg(data: str, label: str = "") -> str:
    """Return an SVG element (as text) that encodes ``data``; CSS decides its size."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :].lstrip()
    svg = re.sub(r'\swidth="[^"]*"\s+height="[^"]*"', "", svg, count=1)
    accessible = (
        f' class="qr" role="img" aria-label="{escape(label)}"'
        if label
        else ' class="qr" aria-hidden="true"'
    )
    return svg.replace("<svg", "<svg" + accessible, 1)


def qr_path_svg(data: str, label: str) -> Markup:
    """Return a QR code as compact SVG (one path of runs), about eight times faster than ``qr_svg``.

    A fixed mask pattern skips the search for the best of eight masks, which is where
    ``qr_svg`` spends its time (9.5 ms a code: 8 minutes for 50,000 letters). Every mask
    gives a valid QR code; the URLs are short, so reading them is not a problem. Used for
    letters and cheque sheets, where thousands are drawn at once.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=0
    )
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                parts.append(f"M{start + 2} {y + 2}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    full = size + 4
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" class="qr" '
        f'role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{full}" height="{full}" fill="#fff"/>'
        f'<path d="{"".join(parts)}" fill="#000"/></svg>'
    )
