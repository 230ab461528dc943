"""Shared fixtures: one app per test session, a clean database for every test.

The database is SQLite in a temporary file by default; with TEST_DATABASE_URL set
(for example postgresql://postgres@127.0.0.1:5432/test) every test worker gets its own
PostgreSQL database derived from it.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from buurtbegroting import create_app
from buurtbegroting.extensions import db as _db
from buurtbegroting.extensions import limiter
from tests.dbsupport import database_url, make_config  # noqa: F401  (re-exported for older imports)


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this, requests would reuse the test's app context and share its ``g`` (the
    logged-in user, the locale) and database session across requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # Werkzeug's test client leaves large request bodies in an open temporary file.
        body = response.request.environ.get("wsgi.input")
        if body is not None and hasattr(body, "close"):
            body.close()
        # The test's own session may hold objects the request changed.
        _db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory):
    url = database_url(tmp_path_factory.mktemp("db"), "bb")
    app = create_app(
        make_config(
            url,
            UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")),
            JOB_RESULT_FOLDER=str(tmp_path_factory.mktemp("jobs")),
        )
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _empty_all_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture()
def app(_session_app):
    """The application, inside an app context, on an empty database."""
    # The app is shared by the session: a test that changes a setting must not change it
    # for the tests after it.
    settings = dict(_session_app.config)
    with _session_app.app_context():
        limiter.reset()
        yield _session_app
        _db.session.rollback()
        _empty_all_tables()
        _db.session.remove()
    _session_app.config.clear()
    _session_app.config.update(settings)


@pytest.fixture()
def own_limiter():
    """Give the session app its rate-limit store back after a test built another app.

    Flask-Limiter keeps one store per Limiter object; the last app built takes it over.
    """
    saved = limiter._storage, limiter._limiter
    yield
    limiter._storage, limiter._limiter = saved


@pytest.fixture()
def other_app(own_limiter):
    """Build another app (another configuration) in a test; its connections close at the end."""
    built = []

    def build(config):
        built.append(create_app(config))
        return built[-1]

    yield build
    for other in built:
        with other.app_context():
            _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database extension, bound to the test's app."""
    return _db


@pytest.fixture()
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture()
def runner(app):
    """A runner for the app's flask commands."""
    return app.test_cli_runner()


@pytest.fixture()
def login(client):
    """Log a user in on the test client (without the cost of a password check)."""

    def _login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture()
def mailbox(app):
    """The e-mails the outbox backend wrote to the log, newest last (``mailbox.messages``)."""
    import logging

    from tests.mailbox import LoggedMail

    logger = app.logger.getChild("mail")
    handler, level, disabled = LoggedMail(), logger.level, logger.disabled
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # Alembic's logging set-up (the migration tests) disables loggers that exist already.
    logger.disabled = False
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.disabled = disabled


@pytest.fixture()
def smtp_server(app):
    """A real SMTP server on a free port, with the app's MAIL_BACKEND set to smtp."""
    from tests.mailbox import SMTPCatcher

    server = SMTPCatcher()
    server.start()
    saved = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    app.config.update(saved)
    server.stop()


@pytest.fixture()
def smtp_down(app):
    """SMTP configured, but no server listens on the port; ``smtp_down.come_back()`` starts one."""
    from tests.mailbox import SMTPDown

    down = SMTPDown()
    saved = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=down.port)
    yield down
    app.config.update(saved)
    down.stop()


@pytest.fixture()
def csrf_app(app):
    """The app with CSRF protection switched on, for tests of the tokens themselves."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture()
def count_queries(app):
    """Return a context manager that collects the SQL statements sent inside it."""
    from tests.querycount import count_statements

    return count_statements


@pytest.fixture()
def people(app):
    """A person in every role: resident, reviewer, coordinator (of a district), administrator.

    ``people["anonymous"]`` is None (log nobody in); ``people["district"]`` is the
    coordinator's district and ``people["neighbourhood"]`` a neighbourhood in it.
    """
    from buurtbegroting.extensions import db
    from buurtbegroting.models import Role
    from tests.factories import make_district, make_neighbourhood, make_user

    district = make_district()
    neighbourhood = make_neighbourhood(district, postcodes=())
    found = {
        "anonymous": None,
        "resident": make_user(role=Role.RESIDENT, area=neighbourhood),
        "reviewer": make_user(role=Role.REVIEWER),
        "coordinator": make_user(role=Role.COORDINATOR, coordinated_areas=[district]),
        "admin": make_user(role=Role.ADMIN),
        "district": district,
        "neighbourhood": neighbourhood,
    }
    db.session.commit()
    return found


#: The roles of the ``people`` fixture, in order of power.
ROLES = ("anonymous", "resident", "reviewer", "coordinator", "admin")
