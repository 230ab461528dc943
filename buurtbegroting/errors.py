"""Error pages in the site's style and the visitor's language."""

import time

from flask import render_template, request
from flask_babel import _
from flask_wtf.csrf import CSRFError

from buurtbegroting.extensions import db, limiter
from buurtbegroting.throttle import wait_text


def _limiter_wait() -> int | None:
    """Return the seconds until the Flask-Limiter limit that was hit lets the client in again."""
    current = limiter.current_limit
    if current is None:
        return None
    return max(1, int(current.reset_at - time.time()))


def _page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register(app) -> None:
    """Attach the error handlers to the app."""

    @app.errorhandler(400)
    def bad_request(error):
        return _page(400, _("Something went wrong"), _("The request could not be understood."))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            400,
            _("This form has expired"),
            _("Go back, reload the page and try again. Nothing was saved."),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _page(403, _("No access"), _("You are not allowed to see this page."))

    @app.errorhandler(404)
    def not_found(error):
        return _page(
            404, _("Page not found"), _("This page does not exist (any more). Check the address.")
        )

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _page(405, _("Something went wrong"), _("This action is not possible here."))

    @app.errorhandler(413)
    def too_large(error):
        return _page(413, _("File too large"), _("The file you sent is too large."))

    @app.errorhandler(429)
    def too_many(error):
        wait = getattr(error, "wait_seconds", None) or _limiter_wait()
        message = (
            wait_text(wait)
            if wait
            else _("You tried this too often. Wait a few minutes and try again.")
        )
        body, status = _page(429, _("Too many attempts"), message)
        return body, status, ({"Retry-After": str(wait)} if wait else {})

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        app.logger.error("Server error on %s", request.path)
        return _page(
            500,
            _("Something went wrong on our side"),
            _("We could not handle your request. Please try again later."),
        )
