"""Area plans, their spearheads, and the indicators of the area monitor."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.types import UTCDateTime, enum_column, utcnow


class PlanStatus(enum.StrEnum):
    """Whether the municipality has adopted a plan."""

    DRAFT = "draft"
    ADOPTED = "adopted"


class AreaPlan(db.Model):
    """The plan of one area for one period, with its spearheads."""

    __tablename__ = "area_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus, 20),
        default=PlanStatus.DRAFT,
    )
    adopted_on: Mapped[date | None]
    #: Reference of the council or executive decision that adopted the plan.
    decision_reference: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    area: Mapped[Area] = relationship()
    spearheads: Mapped[list[Spearhead]] = relationship(
        back_populates="plan", order_by="Spearhead.position", cascade="all, delete-orphan"
    )

    @property
    def is_adopted(self) -> bool:
        """Tell whether the plan has been adopted."""
        return self.status == PlanStatus.ADOPTED


class Spearhead(db.Model):
    """A priority (speerpunt) of an area plan."""

    __tablename__ = "spearheads"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("area_plans.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[AreaPlan] = relationship(back_populates="spearheads")


class Indicator(db.Model):
    """One figure of the area monitor (wijkfoto) for an area and a year."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("area_id", "name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    municipal_average: Mapped[float | None] = mapped_column(Float)
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(200), default="")

    area: Mapped[Area] = relationship()
