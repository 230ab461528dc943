"""Requests that carry photos may be larger than the others."""

from flask import current_app, request


def allows_uploads(view):
    """Mark a view whose form may carry photos (up to UPLOAD_FORM_MAX_CONTENT_LENGTH)."""
    view.allows_uploads = True
    return view


def raise_limit_for_uploads() -> None:
    """Before the form is read (also by the CSRF check): allow larger bodies for upload views."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if view is not None and getattr(view, "allows_uploads", False):
        request.max_content_length = current_app.config["UPLOAD_FORM_MAX_CONTENT_LENGTH"]
