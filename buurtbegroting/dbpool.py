"""Pooled database connections: checked with a ping when they have been idle a while.

SQLAlchemy's ``pool_pre_ping`` pings at every checkout: one round trip to the database for
every request, and one more for every further transaction in it (a ballot takes two). A
connection handed back a moment ago is as good as the last statement it ran, so here only
a connection idle for more than ``DB_PING_AFTER_IDLE_SECONDS`` is pinged; a dead one is
replaced before the request uses it (a restarted database server, a dropped idle link).
A server that goes away within those seconds of a connection's last use fails that one
request; SQLAlchemy then sees the disconnect and renews every connection of the pool.
"""

from __future__ import annotations

import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

IDLE_SINCE = "buurtbegroting_idle_since"


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a connection at checkout when it was idle longer than ``idle_seconds`` (0: always)."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection, record):
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, proxy):
        since = record.info.pop(IDLE_SINCE, None)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # a new connection, or one in use a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool drops this connection and hands out a new one.
            raise exc.DisconnectionError(str(error)) from error
