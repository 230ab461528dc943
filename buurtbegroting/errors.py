"""Error pages in the site's style and the visitor's language."""

import time

from flask import render_template, request
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from buurtbegroting.extensions import db, limiter
from buurtbegroting.throttle import wait_text


def _limiter_wait() -> int | None:
    """Return the seconds until the Flask-Limiter limit that was hit lets the client in again."""
    current = limiter.current_limit
    if current is None:
        return None
    return max(1, int(current.reset_at - time.time()))


#: The title and the explanation of each error page, by status code.
PAGES = {
    400: (_l("Something went wrong"), _l("The request could not be understood.")),
    403: (_l("No access"), _l("You are not allowed to see this page.")),
    404: (_l("Page not found"), _l("This page does not exist (any more). Check the address.")),
    405: (_l("Something went wrong"), _l("This action is not possible here.")),
    413: (_l("File too large"), _l("The file you sent is too large.")),
    429: (
        _l("Too many attempts"),
        _l("You tried this too often. Wait a few minutes and try again."),
    ),
}


def _page(status: int, title: str, message: str):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _handler(status: int):
    title, message = PAGES[status]
    return lambda error: _page(status, title, message)


def register(app) -> None:
    """Attach the error handlers to the app."""
    for status in PAGES:
        app.register_error_handler(status, _handler(status))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            400,
            _("This form has expired"),
            _("Go back, reload the page and try again. Nothing was saved."),
        )

    @app.errorhandler(429)
    def too_many(error):
        wait = getattr(error, "wait_seconds", None) or _limiter_wait()
        # Registered after the table's handlers: a 429 names the wait when it is known.
        title, message = PAGES[429]
        body, status = _page(429, title, wait_text(wait) if wait else message)
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
