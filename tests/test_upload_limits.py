"""Uploads that cannot take the server down: pixel bombs, too many files, too large bodies."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image
from sqlalchemy import func, select

from buurtbegroting.images import InvalidImage, process_photo
from buurtbegroting.models import AccountabilityPhoto, IdeaPhoto, IdeaStatus, ProgressUpdate
from tests.factories import make_idea
from tests.factories.accountability import funded_idea
from tests.factories.photos import jpeg_with_gps

TOO_MANY_PIXELS = "Deze foto heeft te veel pixels. Kies een kleinere foto."
AT_MOST_FIVE = "U kunt hoogstens 5 foto&#39;s toevoegen."
NOT_READABLE = "geen foto die we kunnen lezen"


def pixel_bomb(side: int = 6324) -> bytes:
    """Return a PNG of a few kilobytes that unpacks to side x side palette pixels."""
    out = io.BytesIO()
    Image.new("P", (side, side), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def draft(db, people):
    idea = make_idea(people["neighbourhood"], people["resident"], status=IdeaStatus.DRAFT)
    db.session.commit()
    return idea


def _post_photos(client, idea, files):
    return client.post(
        f"/ideeen/{idea.id}/stap/4",
        data={"photos": [(io.BytesIO(data), name) for data, name in files]},
        content_type="multipart/form-data",
    )


def test_the_pixel_bomb_is_tiny():
    assert len(pixel_bomb()) < 10_000


def test_a_pixel_bomb_is_refused_from_its_header_before_any_pixel_is_decoded():
    bomb = pixel_bomb()
    with pytest.raises(InvalidImage) as refused:
        process_photo(bomb, 10**7)
    assert refused.value.code == "too_many_pixels"
    # Cut the file after its header: had the pixels been decoded (or the file checked),
    # this would be "not_an_image"; the claimed size alone refuses it.
    with pytest.raises(InvalidImage) as refused:
        process_photo(bomb[:120], 10**7)
    assert refused.value.code == "too_many_pixels"


def test_a_pixel_bomb_is_refused_with_a_message_at_the_field(client, login, people, draft, db):
    login(people["resident"])
    response = _post_photos(client, draft, [(pixel_bomb(), "bom.png")])
    assert response.status_code == 422
    assert TOO_MANY_PIXELS in response.get_data(as_text=True)
    assert _count(db, IdeaPhoto) == 0


def test_ten_files_are_refused_before_any_is_opened(client, login, people, draft, db):
    login(people["resident"])
    # Files that are no image at all: opening one would add "not a photo we can read".
    response = _post_photos(
        client, draft, [(b"GIF89a" + b"x" * 100, f"{i}.png") for i in range(10)]
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert AT_MOST_FIVE in page and NOT_READABLE not in page
    response = _post_photos(client, draft, [(pixel_bomb(), f"{i}.png") for i in range(10)])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert AT_MOST_FIVE in page and TOO_MANY_PIXELS not in page
    assert _count(db, IdeaPhoto) == 0


def post_update(client, login, people, db, files):
    """Post a progress update with these photos, as the organiser of a funded idea."""
    _idea, funding = funded_idea(people["neighbourhood"], people["resident"])
    db.session.commit()
    login(people["resident"])
    return client.post(
        f"/verantwoording/idee/{funding.idea_id}/berichten",
        data={
            "text": "De planten staan erin.",
            "photos": [(io.BytesIO(data), f"{i}.png") for i, data in enumerate(files)],
        },
        content_type="multipart/form-data",
    )


def test_accountability_photos_are_counted_first_too(client, login, people, db):
    response = post_update(client, login, people, db, [b"GIF89a-not-an-image"] * 10)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert AT_MOST_FIVE in page and NOT_READABLE not in page
    assert _count(db, ProgressUpdate) == 0 and _count(db, AccountabilityPhoto) == 0


def test_a_large_phone_photo_is_decoded_small_and_kept(client, login, people, draft, db):
    login(people["resident"])
    response = _post_photos(client, draft, [(jpeg_with_gps((8160, 6120)), "50mp.jpg")])
    assert response.status_code == 302
    (photo,) = db.session.scalars(select(IdeaPhoto)).all()
    assert (photo.width, photo.height) == (1600, 1200)


def test_a_long_strip_is_not_a_photo():
    out = io.BytesIO()
    Image.new("L", (20_000, 10), 0).save(out, "PNG")
    with pytest.raises(InvalidImage) as refused:
        process_photo(out.getvalue(), 10**7)
    assert refused.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/ideeen/{draft}/stap/4", "UPLOAD_FORM_MAX_CONTENT_LENGTH"),
        ("/verantwoording/idee/{idea}/uitgaven", "RECEIPT_FORM_MAX_CONTENT_LENGTH"),
        ("/ideeen/nieuw", "MAX_CONTENT_LENGTH"),
    ],
)
def test_each_form_has_its_own_body_limit(app, client, login, people, draft, db, path, key):
    _idea, funding = funded_idea(people["neighbourhood"], people["resident"])
    db.session.commit()
    login(people["resident"])
    limit = app.config[key]
    response = client.post(
        path.format(idea=funding.idea_id, draft=draft.id),
        data=b"x" * (limit + 1),
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code == 413
    assert "Het bestand dat u stuurde is te groot." in response.get_data(as_text=True)


def test_receipt_form_is_capped_below_the_photo_forms(app):
    assert (
        app.config["RECEIPT_FORM_MAX_CONTENT_LENGTH"] < app.config["UPLOAD_FORM_MAX_CONTENT_LENGTH"]
    )
    assert (
        app.config["UPLOAD_FORM_MAX_CONTENT_LENGTH"]
        <= app.config["PHOTO_MAX_COUNT"] * app.config["PHOTO_MAX_BYTES"] + 1024 * 1024
    )


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_png_of_noise_is_kept_as_a_jpeg_without_its_cost():
    """Writing 1600 x 1600 noise as PNG again took seconds (bench/uploads.py); JPEG does not."""
    noise = Image.frombytes("RGB", (1700, 900), os.urandom(1700 * 900 * 3))
    photo = process_photo(_png(noise), 10 * 1024 * 1024)
    assert photo.extension == ".jpg" and (photo.width, photo.height) == (1600, 847)
    assert Image.open(io.BytesIO(photo.data)).format == "JPEG"
    assert Image.open(io.BytesIO(photo.thumb)).format == "JPEG"


def test_a_noisy_png_with_transparency_becomes_a_jpeg_on_white():
    pixels = Image.frombytes("RGBA", (400, 300), os.urandom(400 * 300 * 4))
    photo = process_photo(_png(pixels), 10 * 1024 * 1024)
    assert photo.extension == ".jpg"
    assert Image.open(io.BytesIO(photo.data)).mode == "RGB"


def test_a_screenshot_png_stays_a_png():
    screen = Image.new("RGB", (1170, 2532), (250, 250, 250))
    screen.paste((30, 90, 200), (0, 0, 1170, 300))
    photo = process_photo(_png(screen), 10 * 1024 * 1024)
    assert photo.extension == ".png"
    assert Image.open(io.BytesIO(photo.data)).format == "PNG"
