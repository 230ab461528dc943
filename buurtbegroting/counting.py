"""Counting rows per key in one query, for pages that show many things at once."""

from __future__ import annotations

from sqlalchemy import func, select

from buurtbegroting.extensions import db


def count_per(key, *conditions) -> dict:
    """Return {value of ``key``: number of rows} of the rows that meet ``conditions``."""
    return dict(
        db.session.execute(select(key, func.count()).where(*conditions).group_by(key)).all()
    )


def count_per_kind(key, kind, keys: list) -> dict:
    """Return {key: {value of ``kind``: number of rows}} for every key in ``keys`` (one query).

    A key without rows gets an empty dict; no query is made for an empty list.
    """
    found: dict = {k: {} for k in keys}
    if keys:
        rows = db.session.execute(
            select(key, kind, func.count()).where(key.in_(keys)).group_by(key, kind)
        ).all()
        for k, kind_value, n in rows:
            found[k][kind_value] = n
    return found
