"""Pooled connections: one idle past DB_PING_AFTER_IDLE_SECONDS is pinged, a dead one replaced.

PostgreSQL only (a SQLite file has no link to lose): the server ends a pooled connection's
backend, as a restart or a dropped idle link would, and the app goes on.
"""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import exc, text

from buurtbegroting.extensions import db
from tests.dbsupport import make_config


@pytest.fixture()
def pg_app(app, other_app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL only: a SQLite file has no connection to lose")

    def build(idle_seconds):
        return other_app(
            make_config(
                app.config["SQLALCHEMY_DATABASE_URI"], DB_PING_AFTER_IDLE_SECONDS=idle_seconds
            )
        )

    return build


def _backend_pid() -> int:
    """Run a statement on a pooled connection, hand it back; return its server process."""
    pid = db.session.scalar(text("select pg_backend_pid()"))
    db.session.remove()
    return pid


def _end_backend(app, pid: int) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as admin:
        assert admin.execute("select pg_terminate_backend(%s)", [pid]).fetchone()[0]
    for _ in range(100):  # the backend ends shortly after the signal
        with psycopg.connect(url, autocommit=True) as admin:
            if not admin.execute("select 1 from pg_stat_activity where pid = %s", [pid]).fetchone():
                return
        time.sleep(0.05)
    raise AssertionError("the backend did not end")


def test_a_connection_idle_past_the_limit_is_pinged_and_a_dead_one_replaced(pg_app):
    app = pg_app(0.2)
    with app.app_context():
        pid = _backend_pid()
        _end_backend(app, pid)
        time.sleep(0.3)
        assert db.session.scalar(text("select pg_backend_pid()")) != pid  # no error: replaced
        db.session.remove()


def test_a_connection_used_a_moment_ago_is_not_pinged(pg_app):
    # Within the limit the connection is trusted: a server gone in between fails that one
    # use (as the module says), and the pool then renews its connections.
    app = pg_app(3600)
    with app.app_context():
        pid = _backend_pid()
        _end_backend(app, pid)
        with pytest.raises(exc.OperationalError):
            db.session.scalar(text("select 1"))
        db.session.remove()
        assert db.session.scalar(text("select pg_backend_pid()")) != pid
        db.session.remove()
