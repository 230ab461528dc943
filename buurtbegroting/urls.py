"""Absolute URLs for e-mails and QR codes, also outside a request (commands, cron jobs)."""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """Return the absolute URL of an endpoint; outside a request, BASE_URL says where the site lives."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
