"""Thematic groups, their members, and the advice a neighbourhood council gives on ideas."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.ideas import Idea
from buurtbegroting.models.plans import Spearhead
from buurtbegroting.models.types import (
    HasId,
    area_fk,
    children,
    empty_text,
    enum_column,
    long_text,
    owned_by_group,
    owned_by_idea,
    owned_by_user,
    str120,
    str200,
    timestamp,
    update_timestamp,
    user_fk,
)
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


class ThematicGroup(HasId, db.Model):
    """Residents organised around a theme in an area, for a shorter time than a council."""

    __tablename__ = "thematic_groups"

    name: Mapped[str120]
    area_id: Mapped[area_fk]
    #: The spearhead the group works on; None with a free theme.
    spearhead_id: Mapped[int | None] = mapped_column(ForeignKey("spearheads.id"))
    free_theme: Mapped[str200 | None]
    description: Mapped[empty_text]
    end_date: Mapped[date | None]
    #: Marked by the municipality as the neighbourhood or village council of its area.
    is_council: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]

    area: Mapped[Area] = relationship()
    spearhead: Mapped[Spearhead | None] = relationship()
    memberships: Mapped[list[GroupMembership]] = children("GroupMembership.id", "group")
    ideas: Mapped[list[Idea]] = relationship(back_populates="group")
    advices: Mapped[list[Advice]] = relationship(back_populates="group", order_by="Advice.id")


class GroupMembership(HasId, db.Model):
    """A resident's membership of a group."""

    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    group_id: Mapped[owned_by_group]
    user_id: Mapped[owned_by_user]
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole, 20), default=MemberRole.MEMBER)
    joined_at: Mapped[timestamp]

    group: Mapped[ThematicGroup] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Advice(HasId, db.Model):
    """The advice of a council group on an idea in its area (one per group and idea)."""

    __tablename__ = "advices"
    __table_args__ = (UniqueConstraint("group_id", "idea_id"),)

    group_id: Mapped[owned_by_group]
    idea_id: Mapped[owned_by_idea]
    author_id: Mapped[user_fk | None]
    position: Mapped[AdvicePosition] = mapped_column(enum_column(AdvicePosition, 20))
    text: Mapped[long_text]
    created_at: Mapped[timestamp]
    updated_at: Mapped[update_timestamp]

    group: Mapped[ThematicGroup] = relationship(back_populates="advices")
    idea: Mapped[Idea] = relationship(back_populates="advices")
    author: Mapped[User | None] = relationship()
