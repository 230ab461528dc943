"""Ideas (initiatives): cost lines, photos, supports and the status timeline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.domain.ideas import Destination, IdeaStatus
from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.plans import Spearhead
from buurtbegroting.models.types import (
    HasId,
    area_fk,
    children,
    empty_text,
    enum_column,
    link_table,
    long_text,
    owned_by_idea,
    owned_by_user,
    str40,
    str80,
    str120,
    str200,
    timestamp,
    update_timestamp,
    user_fk,
    utc_time,
)
from buurtbegroting.models.users import User

idea_spearheads = link_table(
    db.metadata, "idea_spearheads", ("idea_id", "ideas.id"), ("spearhead_id", "spearheads.id")
)


class Idea(HasId, db.Model):
    """A proposal of a resident (or a thematic group) for an area."""

    __tablename__ = "ideas"

    title: Mapped[str120]
    summary: Mapped[str200]
    #: Plain text; paragraphs, lists and links are rendered safely, HTML never.
    description: Mapped[empty_text]
    #: The author's own translation into a second language (optional; shown with its ``lang``).
    second_language: Mapped[str | None] = mapped_column(String(5))
    second_title: Mapped[str120 | None]
    second_summary: Mapped[str200 | None]
    second_description: Mapped[long_text | None]
    area_id: Mapped[area_fk]
    author_id: Mapped[user_fk] = mapped_column(index=True)
    #: The thematic group the idea is submitted for ("by <group>").
    group_id: Mapped[int | None] = mapped_column(ForeignKey("thematic_groups.id"), index=True)
    #: A one-line explanation when the idea fits no spearhead ("own theme").
    own_theme: Mapped[str200 | None]
    location_text: Mapped[str200 | None]
    #: The spot on the map, WGS84; both set or both empty (checked against the area).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    people_involved: Mapped[long_text | None]
    status: Mapped[IdeaStatus] = mapped_column(
        enum_column(IdeaStatus), default=IdeaStatus.DRAFT, index=True
    )
    destination: Mapped[Destination] = mapped_column(
        enum_column(Destination), default=Destination.BUDGET_ROUND
    )
    #: Cost set by a reviewer instead of the author's total, with the reason.
    adjusted_cost_cents: Mapped[int | None]
    adjusted_cost_reason: Mapped[long_text | None]
    feasibility_note: Mapped[long_text | None]
    #: A random key per filled-in form, so a form sent twice makes one idea.
    submission_key: Mapped[str40 | None] = mapped_column(unique=True)
    created_at: Mapped[timestamp] = mapped_column(index=True)
    updated_at: Mapped[update_timestamp]
    submitted_at: Mapped[utc_time | None]
    #: Cheque initiatives: the amount to collect and the date to reach it by.
    target_cents: Mapped[int | None]
    target_date: Mapped[date | None]
    #: A coordinator may extend the target date once.
    target_date_extended: Mapped[bool] = mapped_column(default=False)
    #: Cheque value collected so far; only changed by a conditional update (never past target).
    collected_cents: Mapped[int] = mapped_column(default=0)

    area: Mapped[Area] = relationship()
    author: Mapped[User] = relationship()
    group: Mapped[ThematicGroup | None] = relationship(back_populates="ideas")  # noqa: F821
    spearheads: Mapped[list[Spearhead]] = relationship(
        secondary=idea_spearheads, order_by="Spearhead.position"
    )
    cost_lines: Mapped[list[CostLine]] = children("CostLine.position", "idea")
    photos: Mapped[list[IdeaPhoto]] = children("IdeaPhoto.position", "idea")
    status_changes: Mapped[list[IdeaStatusChange]] = children("IdeaStatusChange.id", "idea")
    advices: Mapped[list[Advice]] = children("Advice.id", "idea")  # noqa: F821

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


class CostLine(HasId, db.Model):
    """One item of an idea's budget."""

    __tablename__ = "cost_lines"
    __table_args__ = (CheckConstraint("amount_cents >= 0", name="amount_not_negative"),)

    idea_id: Mapped[owned_by_idea]
    position: Mapped[int] = mapped_column(default=0)
    item: Mapped[str120]
    amount_cents: Mapped[int]

    idea: Mapped[Idea] = relationship(back_populates="cost_lines")


class IdeaPhoto(HasId, db.Model):
    """A photo of an idea, re-encoded on upload without metadata."""

    __tablename__ = "idea_photos"

    idea_id: Mapped[owned_by_idea]
    position: Mapped[int] = mapped_column(default=0)
    #: File name inside the upload folder (random, with the format's extension).
    filename: Mapped[str80] = mapped_column(unique=True)
    width: Mapped[int]
    height: Mapped[int]
    alt_text: Mapped[str200] = mapped_column(default="")

    idea: Mapped[Idea] = relationship(back_populates="photos")


class Support(HasId, db.Model):
    """A resident supports an idea (once; withdrawable)."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    idea_id: Mapped[owned_by_idea]
    user_id: Mapped[owned_by_user]
    created_at: Mapped[timestamp]


class IdeaStatusChange(HasId, db.Model):
    """One step in an idea's timeline: who moved it from which status to which, and why."""

    __tablename__ = "idea_status_changes"

    idea_id: Mapped[owned_by_idea]
    actor_id: Mapped[user_fk | None]
    from_status: Mapped[IdeaStatus | None] = mapped_column(enum_column(IdeaStatus))
    to_status: Mapped[IdeaStatus] = mapped_column(enum_column(IdeaStatus))
    message: Mapped[empty_text]
    created_at: Mapped[timestamp]

    idea: Mapped[Idea] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()
