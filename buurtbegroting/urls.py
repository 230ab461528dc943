"""Absolute URLs for e-mails, QR codes, letters and cheques: built on BASE_URL only.

The request's Host header is chosen by whoever sends the request (``Host: evil.example``
would put a reset token in a link to another site), so no absolute URL is ever built on
it, inside a request or outside one (commands, jobs).
"""

from urllib.parse import urlsplit

from flask import current_app


def base_url() -> str:
    """Return the configured address of the site, without a trailing slash."""
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """Return the absolute URL of an endpoint on BASE_URL (whatever host the request named)."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
