"""Helpers for the accountability tests: files to upload, statement counting, a funded idea."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import date

from PIL import Image
from sqlalchemy import event

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png_bytes(size=(40, 30)) -> bytes:
    """Return a small PNG."""
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 135)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name: str):
    """Return a (stream, filename) pair for the test client."""
    return (io.BytesIO(data), name)


@contextmanager
def count_statements(engine):
    """Count the SQL statements sent to the database inside the block."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def funded_idea(area, author=None, *, amount=100_000, planned_end=date(2026, 6, 1), **overrides):
    """Make an accepted idea and fund it through fund_idea; return (idea, funding)."""
    from factories import make_idea

    from buurtbegroting.accountability.services import fund_idea
    from buurtbegroting.models import FundingSource, IdeaStatus

    idea = make_idea(area, author, status=IdeaStatus.ACCEPTED, **overrides)
    funding = fund_idea(
        idea,
        source=FundingSource.ROUND,
        amount_cents=amount,
        actor=None,
        planned_end_on=planned_end,
    )
    return idea, funding
