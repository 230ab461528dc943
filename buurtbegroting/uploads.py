"""Requests that carry files may be larger than the others; each kind of form has its own cap.

Every request may be at most MAX_CONTENT_LENGTH (forms without files, and the CSV imports).
A view marked with :func:`allows_uploads` gets the limit of its kind instead: photo forms
PHOTO_MAX_COUNT photos of PHOTO_MAX_BYTES and some text (UPLOAD_FORM_MAX_CONTENT_LENGTH),
the receipt form one receipt (RECEIPT_FORM_MAX_CONTENT_LENGTH). Werkzeug refuses a larger
body with 413 before it is read, and a form with more than UPLOAD_FORM_MAX_PARTS parts.
"""

from flask import current_app, request


def allows_uploads(view=None, *, limit: str = "UPLOAD_FORM_MAX_CONTENT_LENGTH"):
    """Mark a view whose form may carry files, up to the configured ``limit`` (a config key).

    Use as ``@allows_uploads`` (photos) or ``@allows_uploads(limit="RECEIPT_FORM_...")``.
    """

    def mark(function):
        function.upload_limit = limit
        return function

    return mark(view) if view is not None else mark


def raise_limit_for_uploads() -> None:
    """Before the form is read (also by the CSRF check): set the body limit of this view."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    limit = getattr(view, "upload_limit", None)
    if limit is not None:
        request.max_content_length = current_app.config[limit]
        request.max_form_parts = current_app.config["UPLOAD_FORM_MAX_PARTS"]
