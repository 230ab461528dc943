"""Fixtures for the browser tests: a live server with the demo data, and Chromium.

The live server runs its own app (CSRF on, as in production) in a background thread,
on a database of its own; it does not use the ``app``/``db``/``client`` fixtures.
Chromium is Debian's, driven by Playwright; one browser serves the whole session and
every test gets fresh contexts, so no cookie or cache leaks from one test to another.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, update
from werkzeug.serving import WSGIRequestHandler, make_server

from buurtbegroting import create_app
from buurtbegroting.extensions import db
from buurtbegroting.models import User
from demo.data import load_demo

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A phone: the site is mobile first, so every browser test runs at this size.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
#: The Accept-Language a browser sends for each of the site's languages.
BROWSER_LOCALES = {"nl": "nl-NL", "en": "en-GB"}


#: The live server's app by its base URL, for ``live_app``.
_LIVE_APPS: dict = {}
#: The language of every demo account as loaded, per live server (restored before each test).
_DEMO_LANGUAGES: dict = {}


class _QuietRequestHandler(WSGIRequestHandler):
    """Log errors only: a line per request would bury the figures the tests print."""

    def log_request(self, code="-", size="-"):
        pass


def _read_whole(app):
    """Wrap a WSGI app so every response body is read, and its file closed, before sending.

    Werkzeug's development server does not close a response's file when the browser drops
    the connection half way (a page left before its favicon arrived); the open file then
    fails a later test with a ResourceWarning. The test pages are small.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


def _shared_conftest(config):
    """Return tests/conftest.py as pytest loaded it.

    Both conftest files are modules named ``conftest``, so a plain import here would
    find this very module; pytest's plugin manager holds the shared one.
    """
    path = ROOT / "tests" / "conftest.py"
    for plugin in config.pluginmanager.get_plugins():
        if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == path:
            return plugin
    raise LookupError(f"{path} is not loaded")


def _missing(reason: str) -> None:
    # On CI a missing browser or axe-core is a broken set-up, not a reason to skip.
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(request, tmp_path_factory):
    """Serve the real app with the Oss demo data on 127.0.0.1; yield its base URL."""
    shared = _shared_conftest(request.config)
    tmp = tmp_path_factory.mktemp("browser")
    url = shared.database_url(tmp, "browser")
    app = create_app(
        shared.make_config(
            url,
            WTF_CSRF_ENABLED=True,
            UPLOAD_FOLDER=str(tmp / "uploads"),
            JOB_RESULT_FOLDER=str(tmp / "jobs"),
            # Every test logs in from 127.0.0.1: the limit stays on, but roomy enough for them.
            RATELIMIT_LOGIN="300 per minute",
        )
    )
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        demo_languages = dict(db.session.execute(select(User.id, User.locale)).all())
        db.session.remove()
    server = make_server(
        "127.0.0.1", 0, _read_whole(app), threaded=True, request_handler=_QuietRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    _LIVE_APPS[base_url] = app
    _DEMO_LANGUAGES[base_url] = demo_languages
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_app(live_server):
    """The live server's app, to prepare data in its database (in ``with app.app_context()``)."""
    return _LIVE_APPS[live_server]


@pytest.fixture(autouse=True)
def _accounts_in_their_demo_language(request):
    """Start every browser test with the demo accounts in the language the demo gave them.

    The tests share the live server's database: one that switches language while logged in
    stores it on the account, and a later test logging in as that account would get its
    pages in that language.
    """
    if "live_server" not in request.fixturenames:
        return
    base_url = request.getfixturevalue("live_server")
    app = _LIVE_APPS[base_url]
    with app.app_context():
        db.session.execute(
            update(User),
            [{"id": id_, "locale": locale} for id_, locale in _DEMO_LANGUAGES[base_url].items()],
        )
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: install Debian's chromium package")
    if not AXE.exists():
        _missing(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` at the repository root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_source(browser) -> str:
    """The axe-core script, read once."""
    return AXE.read_text(encoding="utf-8")


def _phone_contexts(browser, live_server):
    """Yield a factory of fresh phone-sized browser contexts; close them afterwards.

    ``lang`` sets the browser's Accept-Language; ``bypass_csp`` is only for the axe scans,
    which inject a script the site's CSP rightly refuses; ``javascript=False`` turns the
    page's scripts off, as some visitors do.
    """
    contexts = []

    def _new(lang: str = "nl", bypass_csp: bool = False, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server,
            locale=BROWSER_LOCALES[lang],
            bypass_csp=bypass_csp,
            java_script_enabled=javascript,
            **PHONE,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture()
def new_phone_context(browser, live_server):
    """Return a factory of fresh phone-sized browser contexts, closed after the test."""
    yield from _phone_contexts(browser, live_server)


@pytest.fixture(scope="module")
def module_phone_context(browser, live_server):
    """Like ``new_phone_context``, for module fixtures that prepare data in the browser."""
    yield from _phone_contexts(browser, live_server)
