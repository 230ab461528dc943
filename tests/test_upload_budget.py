"""The photos of one request share a decode budget, read from their headers before any decode."""

from __future__ import annotations

import io

from PIL import Image

from buurtbegroting.images import decode_cost, process_photo
from buurtbegroting.models import AccountabilityPhoto, IdeaPhoto, ProgressUpdate
from tests import test_upload_limits as limits
from tests.test_upload_limits import _count, _post_photos, post_update

TWO_GOES = "Voeg ze in twee keer toe"
TOO_MANY_PIXELS = "Deze foto heeft te veel pixels. Kies een kleinere foto."
NOT_READABLE = "geen foto die we kunnen lezen"
MB = 1024 * 1024


def _image(size, fmt: str, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (90, 140, 60, 128)[: len(mode)]).save(out, fmt)
    return out.getvalue()


def _header_only(size) -> bytes:
    """Return the first bytes of a PNG: its header claims the size, its pixels are missing."""
    return _image(size, "PNG")[:100]


#: The same draft idea as the other upload tests.
draft = limits.draft


def _post(client, idea, files):
    return _post_photos(client, idea, [(data, f"{i}.png") for i, data in enumerate(files)])


def _refused(response, db, said: str, not_said: str) -> None:
    """Check a 422 that says one thing and not another, with no photo saved."""
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert said in page and not_said not in page
    assert _count(db, IdeaPhoto) == 0


def test_a_jpeg_costs_the_pixels_of_its_reduced_decode():
    # 4000 x 3000 is decoded at half size (2000 x 1500), the smallest that still fills 1600.
    assert decode_cost(_image((4000, 3000), "JPEG"), 10 * MB) == 2000 * 1500
    assert decode_cost(_image((1800, 1800), "PNG"), 10 * MB) == 1800 * 1800


def test_a_webp_costs_its_pixels_and_its_bytes():
    data = _image((1170, 2532), "WEBP")
    assert decode_cost(data, 10 * MB) == 1170 * 2532 + 4 * len(data)


def test_what_residents_upload_fits_the_budget(app):
    budget = app.config["PHOTO_REQUEST_DECODE_BUDGET"]
    for size, fmt in [
        ((4000, 3000), "JPEG"),  # a phone photo of 12 MP
        ((8160, 6120), "JPEG"),  # a phone photo of 50 MP
        ((1290, 2796), "PNG"),  # a large phone's screenshot
        ((1290, 2796), "WEBP"),
    ]:
        assert 5 * decode_cost(_image(size, fmt), 10 * MB) <= budget, (size, fmt)


def test_photos_over_the_budget_are_refused_before_any_is_decoded(client, login, people, draft, db):
    login(people["resident"])
    # Five headers that claim 6.6 MP each (33 MP together) and hold no pixels: decoding
    # any of them would say "not a photo we can read".
    response = _post(client, draft, [_header_only((2800, 2350))] * 5)
    _refused(response, db, TWO_GOES, NOT_READABLE)


def test_five_phone_photos_are_accepted(client, login, people, draft, db):
    login(people["resident"])
    response = _post(client, draft, [_image((4000, 3000), "JPEG")] * 5)
    assert response.status_code == 302
    assert _count(db, IdeaPhoto) == 5


def test_one_photo_over_the_budget_has_too_many_pixels(
    app, monkeypatch, client, login, people, draft, db
):
    monkeypatch.setitem(app.config, "PHOTO_REQUEST_DECODE_BUDGET", 1_000_000)
    login(people["resident"])
    response = _post(client, draft, [_header_only((1200, 1000))])
    _refused(response, db, TOO_MANY_PIXELS, TWO_GOES)


def test_one_bad_file_stops_the_others_from_being_decoded(client, login, people, draft, db):
    login(people["resident"])
    files = [_header_only((1000, 1000)), b"GIF89a-not-an-image"]
    # Only the second file's error: the first (whose pixels are missing) was never decoded.
    _refused(_post(client, draft, files), db, "1.png: Dit", "0.png:")


def test_accountability_photos_share_the_budget(client, login, people, db):
    response = post_update(client, login, people, db, [_header_only((2800, 2350))] * 5)
    assert response.status_code == 422
    assert TWO_GOES in response.get_data(as_text=True)
    assert _count(db, ProgressUpdate) == 0 and _count(db, AccountabilityPhoto) == 0


def test_a_webp_without_transparency_is_kept_as_jpeg_one_with_it_as_webp():
    opaque = process_photo(_image((800, 600), "WEBP"), 10 * MB)
    assert opaque.extension == ".jpg"
    assert Image.open(io.BytesIO(opaque.data)).format == "JPEG"
    clear = process_photo(_image((800, 600), "WEBP", "RGBA"), 10 * MB)
    assert clear.extension == ".webp"
    assert Image.open(io.BytesIO(clear.thumb)).format == "WEBP"
