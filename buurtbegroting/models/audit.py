"""The audit log of administrative actions; the application never edits it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.types import UTCDateTime, utcnow
from buurtbegroting.models.users import User


class AuditEntry(db.Model):
    """One administrative act: who, what, when, and the object before and after."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: Who acted, as shown at the time (an e-mail address, or "cli" for commands).
    actor_label: Mapped[str] = mapped_column(String(254))
    #: A dotted action name such as "area.update" or "user.role".
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()
