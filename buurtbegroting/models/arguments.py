"""Arguments for and against an idea, replies, helpful marks and reports to the moderator."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.domain.arguments import ArgumentSide, ReportReason
from buurtbegroting.extensions import db
from buurtbegroting.models.ideas import Idea
from buurtbegroting.models.types import (
    HasId,
    enum_column,
    erasable_user_fk,
    long_text,
    owned_by_argument,
    owned_by_idea,
    owned_by_user,
    timestamp,
    utc_time,
)
from buurtbegroting.models.users import User


class Argument(HasId, db.Model):
    """A resident's short argument on an idea, or a reply to one (one level deep)."""

    __tablename__ = "arguments"
    #: One reply per account per argument (top-level arguments have no parent).
    __table_args__ = (UniqueConstraint("parent_id", "author_id"),)

    idea_id: Mapped[owned_by_idea]
    #: None once the author's account is deleted: shown as "a resident".
    author_id: Mapped[erasable_user_fk | None] = mapped_column(index=True)
    #: The argument this replies to; None for an argument.
    parent_id: Mapped[owned_by_argument | None]
    #: For or against; None for a reply.
    side: Mapped[ArgumentSide | None] = mapped_column(enum_column(ArgumentSide))
    body: Mapped[long_text]
    created_at: Mapped[timestamp] = mapped_column(index=True)
    hidden_at: Mapped[utc_time | None]
    #: The public reason shown in place of a hidden text.
    hidden_reason: Mapped[ReportReason | None] = mapped_column(enum_column(ReportReason))
    hidden_by_id: Mapped[erasable_user_fk | None]

    idea: Mapped[Idea] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_hidden(self) -> bool:
        """Tell whether a moderator hid the argument."""
        return self.hidden_at is not None


class HelpfulMark(HasId, db.Model):
    """An account found an argument helpful (once; withdrawable)."""

    __tablename__ = "argument_helpful_marks"
    __table_args__ = (UniqueConstraint("argument_id", "user_id"),)

    argument_id: Mapped[owned_by_argument]
    user_id: Mapped[owned_by_user]
    created_at: Mapped[timestamp]


class ArgumentReport(HasId, db.Model):
    """Someone reported an argument to the moderators; open until a moderator decides."""

    __tablename__ = "argument_reports"
    __table_args__ = (UniqueConstraint("argument_id", "reporter_id"),)

    argument_id: Mapped[owned_by_argument]
    #: None once the reporter's account is deleted (the report stays for the moderator).
    reporter_id: Mapped[erasable_user_fk | None] = mapped_column(index=True)
    reason: Mapped[ReportReason] = mapped_column(enum_column(ReportReason))
    text: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[timestamp] = mapped_column(index=True)
    closed_at: Mapped[utc_time | None]
    closed_by_id: Mapped[erasable_user_fk | None]

    argument: Mapped[Argument] = relationship()
