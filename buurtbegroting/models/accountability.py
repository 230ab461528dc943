"""Accountability for funded ideas: payout, milestones, updates, expenses, final report."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.ideas import Idea
from buurtbegroting.models.types import UTCDateTime, enum_column, owner_key, utcnow
from buurtbegroting.models.users import User


class FundingSource(enum.StrEnum):
    """Where the money of a funded idea came from."""

    ROUND = "round"
    CHEQUES = "cheques"


class ReportStatus(enum.StrEnum):
    """Where the accountability of a funded idea stands."""

    FUNDED = "funded"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REPORT_SUBMITTED = "report_submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"


class Funding(db.Model):
    """The money a funded idea received, its payout, and its accountability status."""

    __tablename__ = "fundings"
    __table_args__ = (CheckConstraint("amount_cents >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), unique=True)
    source: Mapped[FundingSource] = mapped_column(enum_column(FundingSource))
    #: The round area or cheque campaign that funded the idea.
    round_area_id: Mapped[int | None] = mapped_column(ForeignKey("round_areas.id"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    funded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.FUNDED
    )
    planned_end_on: Mapped[date | None]
    report_due_on: Mapped[date | None]
    payout_cents: Mapped[int | None] = mapped_column(Integer)
    payout_on: Mapped[date | None]
    payout_reference: Mapped[str | None] = mapped_column(String(80))
    #: Bank account for the payout; shown to the municipality and the initiators only.
    bank_account: Mapped[str | None] = mapped_column(String(40))
    returned_cents: Mapped[int] = mapped_column(Integer, default=0)
    review_message: Mapped[str | None] = mapped_column(Text)

    idea: Mapped[Idea] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="funding", order_by="Milestone.planned_on", cascade="all, delete-orphan"
    )
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="funding", order_by="ProgressUpdate.id.desc()", cascade="all, delete-orphan"
    )
    expenses: Mapped[list[Expense]] = relationship(
        back_populates="funding", order_by="Expense.spent_on", cascade="all, delete-orphan"
    )
    report: Mapped[FinalReport | None] = relationship(
        back_populates="funding", cascade="all, delete-orphan"
    )


class Milestone(db.Model):
    """A step the initiators plan, and when it was done."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    funding_id: Mapped[int] = owner_key("fundings.id")
    title: Mapped[str] = mapped_column(String(200))
    planned_on: Mapped[date]
    done_on: Mapped[date | None]

    funding: Mapped[Funding] = relationship(back_populates="milestones")


class ProgressUpdate(db.Model):
    """A message with photos about how the initiative is going."""

    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    funding_id: Mapped[int] = owner_key("fundings.id")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    funding: Mapped[Funding] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()
    photos: Mapped[list[AccountabilityPhoto]] = relationship(
        primaryjoin="AccountabilityPhoto.update_id == ProgressUpdate.id",
        order_by="AccountabilityPhoto.position",
        cascade="all, delete-orphan",
        overlaps="photos",
    )


class Expense(db.Model):
    """Money spent, with a receipt that only the initiators and the municipality may see."""

    __tablename__ = "expenses"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    funding_id: Mapped[int] = owner_key("fundings.id")
    description: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column(Integer)
    spent_on: Mapped[date]
    #: Random file name in the private receipts folder.
    receipt_filename: Mapped[str | None] = mapped_column(String(80), unique=True)
    receipt_mimetype: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    funding: Mapped[Funding] = relationship(back_populates="expenses")


class FinalReport(db.Model):
    """What happened, how many people took part, with photos."""

    __tablename__ = "final_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    funding_id: Mapped[int] = mapped_column(
        ForeignKey("fundings.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    participants: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    funding: Mapped[Funding] = relationship(back_populates="report")
    photos: Mapped[list[AccountabilityPhoto]] = relationship(
        primaryjoin="AccountabilityPhoto.report_id == FinalReport.id",
        order_by="AccountabilityPhoto.position",
        cascade="all, delete-orphan",
        overlaps="photos",
    )


class AccountabilityPhoto(db.Model):
    """A photo of a progress update or of a final report (same upload rules as ideas)."""

    __tablename__ = "accountability_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int | None] = owner_key("progress_updates.id")
    report_id: Mapped[int | None] = owner_key("final_reports.id")
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]


class ReminderSent(db.Model):
    """A reminder e-mail about a report, once per stage ("due_soon", "overdue")."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("funding_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    funding_id: Mapped[int] = owner_key("fundings.id")
    stage: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
