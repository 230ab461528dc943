"""Shared fixtures: one app per test session, a clean database for every test.

The database is SQLite in a temporary file by default; with TEST_DATABASE_URL set
(for example postgresql://postgres@127.0.0.1:5432/test) every test worker gets its own
PostgreSQL database derived from it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from buurtbegroting import create_app
from buurtbegroting.extensions import db as _db
from buurtbegroting.extensions import limiter
from config import TestConfig


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def postgres_url_for(name_suffix: str) -> str | None:
    """Return a fresh PostgreSQL database URL for this worker, or None when not configured."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return None
    import psycopg

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database or 'test'}_{name_suffix}_{_worker()}"
    admin = url.set(drivername="postgresql", database=url.database or "postgres")
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def database_url(tmp_dir: Path, suffix: str) -> str:
    """Return the database URL for a suffix: PostgreSQL when configured, else a SQLite file."""
    return postgres_url_for(suffix) or f"sqlite:///{tmp_dir / f'{suffix}.db'}"


def make_config(url: str, **overrides):
    """Return a TestConfig subclass bound to a database URL."""
    return type("BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, **overrides})


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this, requests would reuse the test's app context and share its ``g`` (the
    logged-in user, the locale) and database session across requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # The test's own session may hold objects the request changed.
        _db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory):
    url = database_url(tmp_path_factory.mktemp("db"), "bb")
    app = create_app(make_config(url))
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
    with _session_app.app_context():
        limiter.reset()
        yield _session_app
        _db.session.rollback()
        _empty_all_tables()
        _db.session.remove()


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
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture()
def csrf_app(app):
    """The app with CSRF protection switched on, for tests of the tokens themselves."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False
