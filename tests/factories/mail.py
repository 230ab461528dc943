"""Outbox messages as the worker leaves them (made directly, without send_mail)."""

from __future__ import annotations

from datetime import timedelta

from buurtbegroting.models import MailStatus, OutboxMessage, utcnow


def make_outbox_message(status=MailStatus.SENT, days_ago: int = 0, **overrides) -> OutboxMessage:
    """Return an ordinary message in ``status``, written ``days_ago`` (not added to a session)."""
    defaults = (
        ("recipient", "jan@oss.nl"),
        ("subject", "Uw idee"),
        ("kind", "idea_status"),
        ("body", "Goedgekeurd"),
        ("attempts", 1),
        ("created_at", utcnow() - timedelta(days=days_ago)),
    )
    for name, value in defaults:
        overrides.setdefault(name, value)
    return OutboxMessage(status=status, **overrides)
