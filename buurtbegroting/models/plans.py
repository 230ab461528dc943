"""Area plans, their spearheads, and the indicators of the area monitor."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Float, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.types import (
    HasId,
    area_fk,
    children,
    empty_text,
    enum_column,
    str40,
    str120,
    str200,
    timestamp,
    update_timestamp,
)


class PlanStatus(enum.StrEnum):
    """Whether the municipality has adopted a plan."""

    DRAFT = "draft"
    ADOPTED = "adopted"


class AreaPlan(HasId, db.Model):
    """The plan of one area for one period, with its spearheads."""

    __tablename__ = "area_plans"

    area_id: Mapped[area_fk]
    title: Mapped[str200]
    summary: Mapped[empty_text]
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus, 20),
        default=PlanStatus.DRAFT,
    )
    adopted_on: Mapped[date | None]
    #: Reference of the council or executive decision that adopted the plan.
    decision_reference: Mapped[str120 | None]
    created_at: Mapped[timestamp]
    updated_at: Mapped[update_timestamp]

    area: Mapped[Area] = relationship()
    spearheads: Mapped[list[Spearhead]] = children("Spearhead.position", "plan")

    @property
    def is_adopted(self) -> bool:
        """Tell whether the plan has been adopted."""
        return self.status == PlanStatus.ADOPTED


class Spearhead(HasId, db.Model):
    """A priority (speerpunt) of an area plan."""

    __tablename__ = "spearheads"

    plan_id: Mapped[int] = mapped_column(ForeignKey("area_plans.id"), index=True)
    title: Mapped[str200]
    description: Mapped[empty_text]
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[AreaPlan] = relationship(back_populates="spearheads")


class Indicator(HasId, db.Model):
    """One figure of the area monitor (wijkfoto) for an area and a year."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("area_id", "name", "year"),)

    area_id: Mapped[area_fk]
    name: Mapped[str120]
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str40] = mapped_column(default="")
    municipal_average: Mapped[float | None] = mapped_column(Float)
    year: Mapped[int]
    source: Mapped[str200] = mapped_column(default="")

    area: Mapped[Area] = relationship()
