"""The audit log of administrative actions; the application never edits it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.types import HasId, str40, str254, timestamp, user_fk
from buurtbegroting.models.users import User


class AuditEntry(HasId, db.Model):
    """One administrative act: who, what, when, and the object before and after."""

    __tablename__ = "audit_entries"

    created_at: Mapped[timestamp] = mapped_column(index=True)
    actor_id: Mapped[user_fk | None] = mapped_column(index=True)
    #: Who acted, as shown at the time (an e-mail address, or "cli" for commands).
    actor_label: Mapped[str254]
    #: A dotted action name such as "area.update" or "user.role".
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str40]
    object_id: Mapped[str40 | None]
    summary: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()
