"""Photos for upload tests: a JPEG with GPS data in its EXIF, and a small PNG."""

import io

from PIL import Image


def jpeg_with_gps(size=(3000, 2000)) -> bytes:
    """Return a JPEG with a description, a camera make and a GPS position in its EXIF data."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = image.getexif()
    exif[0x010E] = "Geheime beschrijving"
    exif[0x010F] = "Camera BV"
    exif[0x8825] = {1: "N", 2: (51.0, 45.0, 36.0), 3: "E", 4: (5.0, 31.0, 12.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(40, 30)) -> bytes:
    """Return a small PNG."""
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 90, 135, 255)).save(out, "PNG")
    return out.getvalue()
