"""Helpers for the accountability tests: files to upload, statement counting, a funded idea."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image


def pdf_bytes(*, javascript: str | None = None, attachment: bytes | None = None) -> bytes:
    """Return a real one-page PDF, written by pypdf; optionally with a script or an attachment."""
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if javascript is not None:
        writer.add_open_action(JavaScript(javascript))
    if attachment is not None:
        writer.add_attachment("factuur.exe", attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: A plain one-page PDF.
PDF = pdf_bytes()


def png_bytes(size=(40, 30)) -> bytes:
    """Return a small PNG."""
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 135)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name: str):
    """Return a (stream, filename) pair for the test client."""
    return (io.BytesIO(data), name)


def funded_idea(area, author=None, *, amount=100_000, planned_end=date(2026, 6, 1), **overrides):
    """Make an accepted idea and fund it through fund_idea; return (idea, funding)."""
    from buurtbegroting.accountability.services import fund_idea
    from buurtbegroting.models import FundingSource, IdeaStatus
    from tests.factories import make_idea

    idea = make_idea(area, author, status=IdeaStatus.ACCEPTED, **overrides)
    funding = fund_idea(
        idea,
        source=FundingSource.ROUND,
        amount_cents=amount,
        actor=None,
        planned_end_on=planned_end,
    )
    return idea, funding
