"""Check and re-encode uploaded photos: only JPEG, PNG or WebP, no metadata, at most 1600 px.

A small file can unpack to a huge image (a 5 KB PNG of 6,324 x 6,324 pixels costs half a
gigabyte to decode). So the size in the header is checked right after opening, before a
single pixel is decoded, and a JPEG is decoded straight at the size it will be stored at
(``draft``: the decoder skips the detail), which makes even a 50-megapixel photo cheap.
"""

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
#: A JPEG is decoded at reduced size (``draft``), so a phone's 50-megapixel photo is fine;
#: PNG and WebP cannot be decoded smaller, so they stop at 4K (3840 x 2160); a phone's
#: screenshot is 3 to 4 megapixels, its photos are JPEG (bench/uploads.py shows the cost).
MAX_PIXELS = {"JPEG": 50_000_000, "PNG": 8_300_000, "WEBP": 8_300_000}
#: No side longer than this (a 1 x 40,000,000 strip is not a photo either).
MAX_SIDE_PIXELS = 12_000
#: A PNG that keeps more bytes than this per pixel is a photo (or noise), not a drawing or a
#: screenshot (those compress to well under one byte a pixel): it is stored as JPEG. Writing
#: an incompressible PNG again costs seconds (zlib on megabytes of noise); JPEG costs little.
#: For the same reason a WebP without transparency is stored as JPEG.
PNG_PHOTO_BYTES_PER_PIXEL = 1.0
#: Decoding a WebP costs more the more detail the file holds (0.05 s a megabyte of noise,
#: bench/uploads.py): each byte of a WebP file counts as this many decoded pixels.
WEBP_PIXELS_PER_BYTE = 4


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


def _encode(image: Image.Image, fmt: str, *, plain: bool = False) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG" and plain:
        # Without optimize/progressive: their extra passes cost most on noisy pixels.
        _flatten(image).save(out, "JPEG", quality=85)
    elif fmt == "JPEG":
        # Not progressive: it costs twice the time of a plain encode for 10 % less.
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        # Not optimize=True: it tries every filter and costs seconds on a large photo.
        image.save(out, "PNG", compress_level=3)
    else:
        # method=2 instead of the default 4: half the CPU time, about the same size.
        image.save(out, "WEBP", quality=82, method=2)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """Return an RGB image, transparent parts on white."""
    if "A" not in image.getbands():
        return image.convert("RGB")
    white = Image.new("RGB", image.size, (255, 255, 255))
    white.paste(image, mask=image.getchannel("A"))
    return white


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """Return the size that fits within side x side, keeping the proportions."""
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def check_header(image: Image.Image) -> str:
    """Check the format and the size an opened image claims, before anything is decoded."""
    fmt = image.format
    if fmt not in ALLOWED_FORMATS:
        raise InvalidImage("format")
    width, height = image.size
    if width * height > MAX_PIXELS[fmt] or max(width, height) > MAX_SIDE_PIXELS:
        raise InvalidImage("too_many_pixels")
    return fmt


def _draft(image: Image.Image, fmt: str) -> None:
    """Make a JPEG decode at 1/2, 1/4 or 1/8 of its size, no smaller than what is kept."""
    if fmt == "JPEG":
        image.draft(image.mode, _fit(image.size, MAX_SIDE))


def decode_cost(data: bytes, max_bytes: int) -> int:
    """Return what decoding an upload will cost, read from its header only (nothing decoded).

    The cost is the pixels the decoder will really produce (a JPEG after ``draft``, so at
    about the size we keep; PNG and WebP at full size), plus WEBP_PIXELS_PER_BYTE for each
    byte of a WebP file.
    """
    if len(data) > max_bytes:
        raise InvalidImage("too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = check_header(probe)
            _draft(probe, fmt)
            extra = WEBP_PIXELS_PER_BYTE * len(data) if fmt == "WEBP" else 0
            return probe.width * probe.height + extra
    except InvalidImage:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidImage("not_an_image") from None


def process_photo(data: bytes, max_bytes: int) -> ProcessedImage:
    """Check an upload and return it re-encoded without metadata (EXIF, GPS, comments)."""
    if len(data) > max_bytes:
        raise InvalidImage("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = check_header(probe)
                probe.verify()
            # Not in a "with": closing a loaded image frees its pixels, and copying them
            # to keep them costs a pass over every pixel. BytesIO needs no closing.
            image = Image.open(io.BytesIO(data))
            check_header(image)
            _draft(image, fmt)
            image.load()
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
    photo_png = fmt == "PNG" and len(data) > PNG_PHOTO_BYTES_PER_PIXEL * image.width * image.height
    # A WebP without transparency is stored as JPEG: encoding WebP costs five times as much.
    opaque_webp = fmt == "WEBP" and "A" not in image.getbands()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
    # Make it small first (reduce, then resample), then turn and copy: both cost per pixel.
    # Pillow's bilinear widens its filter when it shrinks, so after a reduce by whole factors
    # it looks as good as Lanczos here at half the cost (bench/uploads.py).
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    ImageOps.exif_transpose(image, in_place=True)
    # A fresh image carries none of the original's metadata.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    thumb = clean.resize(_fit(clean.size, THUMB_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    if photo_png or opaque_webp:
        return ProcessedImage(
            extension=ALLOWED_FORMATS["JPEG"],
            data=_encode(clean, "JPEG", plain=True),
            thumb=_encode(thumb, "JPEG", plain=True),
            width=clean.width,
            height=clean.height,
        )
    return ProcessedImage(
        extension=ALLOWED_FORMATS[fmt],
        data=_encode(clean, fmt),
        thumb=_encode(thumb, fmt),
        width=clean.width,
        height=clean.height,
    )
