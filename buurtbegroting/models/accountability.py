"""Accountability for funded ideas: payout, milestones, updates, expenses, final report."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.ideas import Idea
from buurtbegroting.models.types import (
    HasId,
    children,
    enum_column,
    long_text,
    owned_by_funding,
    owner_key,
    str40,
    str80,
    str200,
    timestamp,
    user_fk,
    utc_time,
)
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


class Funding(HasId, db.Model):
    """The money a funded idea received, its payout, and its accountability status."""

    __tablename__ = "fundings"
    __table_args__ = (CheckConstraint("amount_cents >= 0", name="amount_not_negative"),)

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"), unique=True)
    source: Mapped[FundingSource] = mapped_column(enum_column(FundingSource))
    #: The round area or cheque campaign that funded the idea.
    round_area_id: Mapped[int | None] = mapped_column(ForeignKey("round_areas.id"))
    amount_cents: Mapped[int]
    funded_at: Mapped[timestamp]
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.FUNDED
    )
    planned_end_on: Mapped[date | None]
    report_due_on: Mapped[date | None]
    payout_cents: Mapped[int | None]
    payout_on: Mapped[date | None]
    payout_reference: Mapped[str80 | None]
    #: Bank account for the payout; shown to the municipality and the initiators only.
    bank_account: Mapped[str40 | None]
    returned_cents: Mapped[int] = mapped_column(default=0)
    review_message: Mapped[long_text | None]

    idea: Mapped[Idea] = relationship()
    milestones: Mapped[list[Milestone]] = children("Milestone.planned_on", "funding")
    updates: Mapped[list[ProgressUpdate]] = children("ProgressUpdate.id.desc()", "funding")
    expenses: Mapped[list[Expense]] = children("Expense.spent_on", "funding")
    report: Mapped[FinalReport | None] = relationship(
        back_populates="funding", cascade="all, delete-orphan"
    )


class Milestone(HasId, db.Model):
    """A step the initiators plan, and when it was done."""

    __tablename__ = "milestones"

    funding_id: Mapped[owned_by_funding]
    title: Mapped[str200]
    planned_on: Mapped[date]
    done_on: Mapped[date | None]

    funding: Mapped[Funding] = relationship(back_populates="milestones")


class ProgressUpdate(HasId, db.Model):
    """A message with photos about how the initiative is going."""

    __tablename__ = "progress_updates"

    funding_id: Mapped[owned_by_funding]
    author_id: Mapped[user_fk | None]
    text: Mapped[long_text]
    created_at: Mapped[timestamp]

    funding: Mapped[Funding] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()
    photos: Mapped[list[AccountabilityPhoto]] = children("AccountabilityPhoto.position")


class Expense(HasId, db.Model):
    """Money spent, with a receipt that only the initiators and the municipality may see."""

    __tablename__ = "expenses"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    funding_id: Mapped[owned_by_funding]
    description: Mapped[str200]
    amount_cents: Mapped[int]
    spent_on: Mapped[date]
    #: Random file name in the private receipts folder.
    receipt_filename: Mapped[str80 | None] = mapped_column(unique=True)
    receipt_mimetype: Mapped[str40 | None]
    created_at: Mapped[timestamp]

    funding: Mapped[Funding] = relationship(back_populates="expenses")


class FinalReport(HasId, db.Model):
    """What happened, how many people took part, with photos."""

    __tablename__ = "final_reports"

    funding_id: Mapped[int] = mapped_column(
        ForeignKey("fundings.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[long_text]
    participants: Mapped[int | None]
    submitted_at: Mapped[utc_time | None]
    reviewed_at: Mapped[utc_time | None]
    reviewed_by_id: Mapped[user_fk | None]

    funding: Mapped[Funding] = relationship(back_populates="report")
    photos: Mapped[list[AccountabilityPhoto]] = children("AccountabilityPhoto.position")


class AccountabilityPhoto(HasId, db.Model):
    """A photo of a progress update or of a final report (same upload rules as ideas)."""

    __tablename__ = "accountability_photos"

    update_id: Mapped[int | None] = owner_key("progress_updates.id")
    report_id: Mapped[int | None] = owner_key("final_reports.id")
    position: Mapped[int] = mapped_column(default=0)
    filename: Mapped[str80] = mapped_column(unique=True)
    width: Mapped[int]
    height: Mapped[int]


class ReminderSent(HasId, db.Model):
    """A reminder e-mail about a report, once per stage ("due_soon", "overdue")."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("funding_id", "stage"),)

    funding_id: Mapped[owned_by_funding]
    stage: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[timestamp]
