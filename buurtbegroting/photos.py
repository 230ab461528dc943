"""Uploaded photos, for ideas and for accountability alike: reading, writing and file changes.

A photo is read from the request and re-encoded by :mod:`buurtbegroting.images`; its
files are written before the database change and recorded in :class:`FileChanges`, so
that a failed commit leaves no file behind and a committed one deletes what it replaced.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, request
from flask_babel import lazy_gettext as _l

from buurtbegroting.extensions import db
from buurtbegroting.images import InvalidImage, ProcessedImage, decode_cost, process_photo

#: Why a photo was refused, by the code of :class:`InvalidImage`.
PHOTO_MESSAGES = {
    "too_large": _l("This file is larger than 10 MB. Choose a smaller photo."),
    "not_an_image": _l("This file is not a photo we can read. Use a JPEG, PNG or WebP file."),
    "format": _l("This kind of file is not allowed. Use a JPEG, PNG or WebP photo."),
    "too_many_pixels": _l("This photo has too many pixels. Choose a smaller photo."),
}
#: When the photos of one request together would cost too much to decode.
TOO_MUCH_WORK = _l(
    "Together these photos are too large to add at once. Add them in two goes: "
    "save with some of the photos, then add the others."
)


def upload_folder(name: str) -> Path:
    """Return a folder under UPLOAD_FOLDER (made when missing)."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def thumb_name(filename: str) -> str:
    """Return the file name of a photo's small version."""
    stem, ext = os.path.splitext(filename)
    return f"{stem}.thumb{ext}"


@dataclass
class FileChanges:
    """Files written for a change that is not committed yet, and files to delete once it is."""

    written: list[Path] = field(default_factory=list)
    to_delete: list[Path] = field(default_factory=list)

    def discard_written(self) -> None:
        """Remove the files written, after the database change failed."""
        for path in self.written:
            path.unlink(missing_ok=True)

    @contextmanager
    def undo_on_error(self):
        """Remove the files written in the block when it fails, and raise again."""
        try:
            yield self
        except Exception:
            self.discard_written()
            raise

    def delete_replaced(self) -> None:
        """Remove the files no longer used, after the database change was committed."""
        for path in self.to_delete:
            path.unlink(missing_ok=True)

    def write_photo(self, folder: Path, processed: ProcessedImage) -> str:
        """Write a photo and its small version under a random name; return the name."""
        filename = secrets.token_hex(16) + processed.extension
        for name, data in ((filename, processed.data), (thumb_name(filename), processed.thumb)):
            path = folder / name
            path.write_bytes(data)
            self.written.append(path)
        return filename

    def delete_photo(self, folder: Path, filename: str) -> None:
        """Delete a photo and its small version once the change is committed."""
        self.to_delete += [folder / filename, folder / thumb_name(filename)]


def commit(changes: FileChanges) -> None:
    """Commit the database change; remove the new files when it fails, the old ones when it works."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        changes.discard_written()
        raise
    changes.delete_replaced()


def read_photos(field_name: str) -> tuple[list[ProcessedImage], list[str]]:
    """Read and re-encode the photos uploaded in a form field; return them and the errors.

    The files are counted first: more than PHOTO_MAX_COUNT is refused before any is opened.
    Then every header is read (nothing decoded): when a file is refused, or when together
    they would cost more than PHOTO_REQUEST_DECODE_BUDGET pixels to decode, no photo is
    decoded at all. Only then is each photo decoded, once.
    """
    max_bytes = current_app.config["PHOTO_MAX_BYTES"]
    limit = current_app.config["PHOTO_MAX_COUNT"]
    uploads = [u for u in request.files.getlist(field_name) if u and u.filename]
    if len(uploads) > limit:
        return [], [str(_l("You can add at most %(num)d photos.", num=limit))]
    files, errors, cost = [], [], 0
    for upload in uploads:
        data = upload.stream.read(max_bytes + 1)
        try:
            one = decode_cost(data, max_bytes)
            if one > current_app.config["PHOTO_REQUEST_DECODE_BUDGET"]:
                raise InvalidImage("too_many_pixels")
            cost += one
            files.append((upload.filename, data))
        except InvalidImage as error:
            errors.append(f"{upload.filename}: {PHOTO_MESSAGES[error.code]}")
    if errors:
        return [], errors
    if cost > current_app.config["PHOTO_REQUEST_DECODE_BUDGET"]:
        return [], [str(TOO_MUCH_WORK)]
    processed = []
    for filename, data in files:
        try:
            processed.append(process_photo(data, max_bytes))
        except InvalidImage as error:
            errors.append(f"{filename}: {PHOTO_MESSAGES[error.code]}")
    return processed, errors
