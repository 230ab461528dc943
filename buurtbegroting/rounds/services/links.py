"""Statements on a pooled connection of their own, straight to the driver on PostgreSQL.

The quick voting path (``quick_cast``) and the network count after a ballot send a few
prebuilt statements on every ballot. Through SQLAlchemy each costs about twice the processor
time of the statement itself (execution context, events, result set-up); on PostgreSQL a
``Link`` sends them to psycopg directly, on a pooled connection in autocommit mode, so each
statement is its own transaction and needs no BEGIN or COMMIT round trip. Elsewhere (SQLite)
the same statements run through SQLAlchemy in one transaction, committed by ``commit``.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager

from psycopg.rows import namedtuple_row
from sqlalchemy import Connection

from buurtbegroting.extensions import db


class Link:
    """The quick path's statements on one pooled connection (made by ``link``)."""

    dialect_name: str

    def one(self, statement, params: dict):
        """Run a query; return its first row (attributes by column name) or None."""
        raise NotImplementedError

    def all(self, statement, params: dict) -> list:
        """Run a query; return its rows."""
        raise NotImplementedError

    def run(self, statement, params: dict) -> int:
        """Run a statement; return how many rows it changed."""
        raise NotImplementedError

    def commit(self) -> None:
        """Commit what ran so far."""
        raise NotImplementedError


class _DriverLink(Link):
    """PostgreSQL: psycopg's own connection, in autocommit mode (each statement commits)."""

    dialect_name = "postgresql"

    def __init__(self, driver, dialect):
        self.driver, self.dialect = driver, dialect

    def one(self, statement, params):
        cursor = self.driver.cursor(row_factory=namedtuple_row)
        return cursor.execute(driver_sql(statement, self.dialect), params).fetchone()

    def all(self, statement, params):
        cursor = self.driver.cursor(row_factory=namedtuple_row)
        return cursor.execute(driver_sql(statement, self.dialect), params).fetchall()

    def run(self, statement, params):
        return self.driver.execute(driver_sql(statement, self.dialect), params).rowcount

    def commit(self):
        pass  # every statement committed itself


class _CoreLink(Link):
    """Elsewhere: a SQLAlchemy connection in one transaction, committed by ``commit``."""

    def __init__(self, connection: Connection):
        self.connection, self.dialect_name = connection, connection.dialect.name

    def one(self, statement, params):
        return self.connection.execute(statement, params).first()

    def all(self, statement, params):
        return self.connection.execute(statement, params).all()

    def run(self, statement, params):
        return self.connection.execute(statement, params).rowcount

    def commit(self):
        self.connection.commit()


@contextmanager
def link():
    """Yield a ``Link`` on a pooled connection; uncommitted work is rolled back at the end.

    On PostgreSQL the connection is in autocommit mode while the link lasts, and goes back
    to the pool in transaction mode.
    """
    engine = db.engine
    if engine.dialect.name != "postgresql":
        with engine.connect() as connection:
            yield _CoreLink(connection)
        return
    pooled = engine.raw_connection()
    try:
        driver = pooled.driver_connection
        driver.autocommit = True
        try:
            yield _DriverLink(driver, engine.dialect)
        finally:
            driver.autocommit = False
    finally:
        pooled.close()


@functools.lru_cache(maxsize=64)
def driver_sql(statement, dialect) -> str:
    """Return a statement as the SQL its driver runs (PostgreSQL's psycopg: ``%(name)s``)."""
    return str(statement.compile(dialect=dialect))
