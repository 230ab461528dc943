"""Count the SQL statements a block of code sends: lists must run a fixed number of queries."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def count_statements(engine=None):
    """Collect the SQL statements sent to ``engine`` (default: the app's) inside the block."""
    if engine is None:
        from buurtbegroting.extensions import db

        engine = db.engine
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
