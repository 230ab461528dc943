"""Ideas (initiatives): cost lines, photos, supports and the status timeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.domain.ideas import Destination, IdeaStatus
from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.plans import Spearhead
from buurtbegroting.models.types import UTCDateTime, enum_column, link_table, owner_key, utcnow
from buurtbegroting.models.users import User

idea_spearheads = link_table(
    db.metadata, "idea_spearheads", ("idea_id", "ideas.id"), ("spearhead_id", "spearheads.id")
)


class Idea(db.Model):
    """A proposal of a resident (or a thematic group) for an area."""

    __tablename__ = "ideas"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(200))
    #: Plain text; paragraphs, lists and links are rendered safely, HTML never.
    description: Mapped[str] = mapped_column(Text, default="")
    #: The author's own translation into a second language (optional; shown with its ``lang``).
    second_language: Mapped[str | None] = mapped_column(String(5))
    second_title: Mapped[str | None] = mapped_column(String(120))
    second_summary: Mapped[str | None] = mapped_column(String(200))
    second_description: Mapped[str | None] = mapped_column(Text)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The thematic group the idea is submitted for ("by <group>").
    group_id: Mapped[int | None] = mapped_column(ForeignKey("thematic_groups.id"), index=True)
    #: A one-line explanation when the idea fits no spearhead ("own theme").
    own_theme: Mapped[str | None] = mapped_column(String(200))
    location_text: Mapped[str | None] = mapped_column(String(200))
    #: The spot on the map, WGS84; both set or both empty (checked against the area).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    people_involved: Mapped[str | None] = mapped_column(Text)
    status: Mapped[IdeaStatus] = mapped_column(
        enum_column(IdeaStatus), default=IdeaStatus.DRAFT, index=True
    )
    destination: Mapped[Destination] = mapped_column(
        enum_column(Destination), default=Destination.BUDGET_ROUND
    )
    #: Cost set by a reviewer instead of the author's total, with the reason.
    adjusted_cost_cents: Mapped[int | None] = mapped_column(Integer)
    adjusted_cost_reason: Mapped[str | None] = mapped_column(Text)
    feasibility_note: Mapped[str | None] = mapped_column(Text)
    #: A random key per filled-in form, so a form sent twice makes one idea.
    submission_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Cheque initiatives: the amount to collect and the date to reach it by.
    target_cents: Mapped[int | None] = mapped_column(Integer)
    target_date: Mapped[date | None]
    #: A coordinator may extend the target date once.
    target_date_extended: Mapped[bool] = mapped_column(default=False)
    #: Cheque value collected so far; only changed by a conditional update (never past target).
    collected_cents: Mapped[int] = mapped_column(Integer, default=0)

    area: Mapped[Area] = relationship()
    author: Mapped[User] = relationship()
    group: Mapped[ThematicGroup | None] = relationship(back_populates="ideas")  # noqa: F821
    spearheads: Mapped[list[Spearhead]] = relationship(
        secondary=idea_spearheads, order_by="Spearhead.position"
    )
    cost_lines: Mapped[list[CostLine]] = relationship(
        back_populates="idea", order_by="CostLine.position", cascade="all, delete-orphan"
    )
    photos: Mapped[list[IdeaPhoto]] = relationship(
        back_populates="idea", order_by="IdeaPhoto.position", cascade="all, delete-orphan"
    )
    status_changes: Mapped[list[IdeaStatusChange]] = relationship(
        back_populates="idea", order_by="IdeaStatusChange.id", cascade="all, delete-orphan"
    )
    advices: Mapped[list[Advice]] = relationship(  # noqa: F821
        back_populates="idea", order_by="Advice.id", cascade="all, delete-orphan"
    )

    @property
    def requested_cents(self) -> int:
        """Return the total of the author's cost lines."""
        return sum(line.amount_cents for line in self.cost_lines)

    @property
    def cost_cents(self) -> int:
        """Return the cost that counts: the reviewer's adjusted cost, else the author's total."""
        return (
            self.adjusted_cost_cents
            if self.adjusted_cost_cents is not None
            else self.requested_cents
        )


class CostLine(db.Model):
    """One item of an idea's budget."""

    __tablename__ = "cost_lines"
    __table_args__ = (CheckConstraint("amount_cents >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = owner_key("ideas.id")
    position: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[str] = mapped_column(String(120))
    amount_cents: Mapped[int] = mapped_column(Integer)

    idea: Mapped[Idea] = relationship(back_populates="cost_lines")


class IdeaPhoto(db.Model):
    """A photo of an idea, re-encoded on upload without metadata."""

    __tablename__ = "idea_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = owner_key("ideas.id")
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: File name inside the upload folder (random, with the format's extension).
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    alt_text: Mapped[str] = mapped_column(String(200), default="")

    idea: Mapped[Idea] = relationship(back_populates="photos")


class Support(db.Model):
    """A resident supports an idea (once; withdrawable)."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = owner_key("ideas.id")
    user_id: Mapped[int] = owner_key("users.id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaStatusChange(db.Model):
    """One step in an idea's timeline: who moved it from which status to which, and why."""

    __tablename__ = "idea_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = owner_key("ideas.id")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[IdeaStatus | None] = mapped_column(enum_column(IdeaStatus))
    to_status: Mapped[IdeaStatus] = mapped_column(enum_column(IdeaStatus))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()
