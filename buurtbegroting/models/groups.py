"""Thematic groups, their members, and the advice a neighbourhood council gives on ideas."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.ideas import Idea
from buurtbegroting.models.plans import Spearhead
from buurtbegroting.models.types import UTCDateTime, enum_column, owner_key, utcnow
from buurtbegroting.models.users import User


class MemberRole(enum.StrEnum):
    """A member's role in a group."""

    COORDINATOR = "coordinator"
    MEMBER = "member"


class AdvicePosition(enum.StrEnum):
    """What a council thinks of an idea."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class ThematicGroup(db.Model):
    """Residents organised around a theme in an area, for a shorter time than a council."""

    __tablename__ = "thematic_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    #: The spearhead the group works on; None with a free theme.
    spearhead_id: Mapped[int | None] = mapped_column(ForeignKey("spearheads.id"))
    free_theme: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    end_date: Mapped[date | None]
    #: Marked by the municipality as the neighbourhood or village council of its area.
    is_council: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[Area] = relationship()
    spearhead: Mapped[Spearhead | None] = relationship()
    memberships: Mapped[list[GroupMembership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMembership.id"
    )
    ideas: Mapped[list[Idea]] = relationship(back_populates="group")
    advices: Mapped[list[Advice]] = relationship(back_populates="group", order_by="Advice.id")


class GroupMembership(db.Model):
    """A resident's membership of a group."""

    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = owner_key("thematic_groups.id")
    user_id: Mapped[int] = owner_key("users.id")
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole, 20), default=MemberRole.MEMBER)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[ThematicGroup] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Advice(db.Model):
    """The advice of a council group on an idea in its area (one per group and idea)."""

    __tablename__ = "advices"
    __table_args__ = (UniqueConstraint("group_id", "idea_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = owner_key("thematic_groups.id")
    idea_id: Mapped[int] = owner_key("ideas.id")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    position: Mapped[AdvicePosition] = mapped_column(enum_column(AdvicePosition, 20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group: Mapped[ThematicGroup] = relationship(back_populates="advices")
    idea: Mapped[Idea] = relationship(back_populates="advices")
    author: Mapped[User | None] = relationship()
