"""QR codes as inline SVG (for posters, letters and cheques)."""

import re
from html import escape

import qrcode
import qrcode.image.svg


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
