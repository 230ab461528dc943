"""Cheque campaigns (Ede Doet): cheques, co-organisers of initiatives, and the municipal pot."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.ideas import Idea
from buurtbegroting.models.rounds import CodeStatus
from buurtbegroting.models.types import UTCDateTime, enum_column, link_table, owner_key, utcnow

campaign_areas = link_table(
    db.metadata, "campaign_areas", ("campaign_id", "cheque_campaigns.id"), ("area_id", "areas.id")
)


class ChequeCampaign(db.Model):
    """A round of cheques, e.g. "Voorjaar 2027": value, activation window, scope and count."""

    __tablename__ = "cheque_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    value_cents: Mapped[int] = mapped_column(Integer, default=750)
    activation_starts_on: Mapped[date]
    activation_ends_on: Mapped[date]
    #: True: the whole municipality; False: only the areas listed.
    whole_municipality: Mapped[bool] = mapped_column(default=True)
    cheque_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    areas: Mapped[list[Area]] = relationship(secondary=campaign_areas, order_by="Area.code")


class CampaignAddressCount(db.Model):
    """How many addresses a neighbourhood has, for one cheque per address (no addresses kept)."""

    __tablename__ = "campaign_address_counts"
    __table_args__ = (UniqueConstraint("campaign_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = owner_key("cheque_campaigns.id")
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    addresses: Mapped[int] = mapped_column(Integer)

    area: Mapped[Area] = relationship()


class Cheque(db.Model):
    """One single-use cheque, kept only as a keyed hash of its code."""

    __tablename__ = "cheques"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = owner_key("cheque_campaigns.id")
    #: The neighbourhood the cheque was printed for, when issued per address.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[CodeStatus] = mapped_column(
        enum_column(CodeStatus), default=CodeStatus.ISSUED, index=True
    )
    #: The initiative the cheque was given to.
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"), index=True)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign: Mapped[ChequeCampaign] = relationship()
    idea: Mapped[Idea | None] = relationship()


class CoOrganiser(db.Model):
    """A resident who organises a cheque initiative with the author, confirmed by e-mail."""

    __tablename__ = "co_organisers"
    __table_args__ = (UniqueConstraint("idea_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = owner_key("ideas.id")
    name: Mapped[str] = mapped_column(String(80))
    #: None once the initiative is decided and `flask privacy retention` erased the contact data.
    email: Mapped[str | None] = mapped_column(String(254))
    #: SHA-256 of the confirmation token sent by e-mail (None once erased, as above).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: A keyed hash of postcode and house number, to tell addresses apart without keeping them.
    address_hash: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    idea: Mapped[Idea] = relationship()


class PotEntry(db.Model):
    """Money that returns to the municipal pot (cheques of initiatives that did not reach their target)."""

    __tablename__ = "pot_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("cheque_campaigns.id"), index=True)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    idea: Mapped[Idea | None] = relationship()
