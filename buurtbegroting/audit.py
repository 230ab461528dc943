"""Record administrative acts in the audit log."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import inspect

from buurtbegroting.extensions import db
from buurtbegroting.models import AuditEntry, User


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj, exclude: tuple[str, ...] = ("password_hash",)) -> dict[str, Any]:
    """Return the column values of a model instance as JSON-safe data."""
    mapper = inspect(obj).mapper
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def record(
    actor: User | None,
    action: str,
    obj=None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry for an act by ``actor`` (None for a command-line job); flush only."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else "cli",
        action=action,
        object_type=object_type or "",
        object_id=str(object_id) if object_id is not None else None,
        summary=summary[:300],
        before=before,
        after=after,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Keep only the keys whose values differ, for a compact before/after pair."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
