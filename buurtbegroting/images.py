"""Check and re-encode uploaded photos: only JPEG, PNG or WebP, no metadata, at most 1600 px."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from buurtbegroting.domain import DomainError

ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_SIDE = 1600
THUMB_SIDE = 480
#: Refuse images that would unpack to more than this many pixels (decompression bombs).
MAX_PIXELS = 40_000_000


class InvalidImage(DomainError):
    """The upload is not a photo we accept."""

    def __init__(self, code: str):
        super().__init__(code)
        #: "too_large", "not_an_image", "format" or "too_many_pixels".
        self.code = code


@dataclass
class ProcessedImage:
    """A re-encoded photo and its small version, ready to be written to disk."""

    extension: str
    data: bytes
    thumb: bytes
    width: int
    height: int


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=82)
    return out.getvalue()


def process_photo(data: bytes, max_bytes: int) -> ProcessedImage:
    """Check an upload and return it re-encoded without metadata (EXIF, GPS, comments)."""
    if len(data) > max_bytes:
        raise InvalidImage("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in ALLOWED_FORMATS:
                    raise InvalidImage("format")
                if probe.width * probe.height > MAX_PIXELS:
                    raise InvalidImage("too_many_pixels")
                probe.verify()
            with Image.open(io.BytesIO(data)) as source:
                source.load()
                image = ImageOps.exif_transpose(source)
    except InvalidImage:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise InvalidImage("not_an_image") from None
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
    # A fresh image carries none of the original's metadata.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = clean.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        extension=ALLOWED_FORMATS[fmt],
        data=_encode(clean, fmt),
        thumb=_encode(thumb, fmt),
        width=clean.width,
        height=clean.height,
    )
