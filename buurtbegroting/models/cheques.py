"""Cheque campaigns (Ede Doet): cheques, co-organisers of initiatives, and the municipal pot."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.ideas import Idea
from buurtbegroting.models.rounds import CodeStatus
from buurtbegroting.models.types import (
    HasId,
    area_fk,
    empty_text,
    enum_column,
    idea_fk,
    link_table,
    owned_by_campaign,
    owned_by_idea,
    str64,
    str80,
    str120,
    str254,
    timestamp,
    user_fk,
    utc_time,
)

campaign_areas = link_table(
    db.metadata, "campaign_areas", ("campaign_id", "cheque_campaigns.id"), ("area_id", "areas.id")
)


class ChequeCampaign(HasId, db.Model):
    """A round of cheques, e.g. "Voorjaar 2027": value, activation window, scope and count."""

    __tablename__ = "cheque_campaigns"

    name: Mapped[str120]
    value_cents: Mapped[int] = mapped_column(default=750)
    activation_starts_on: Mapped[date]
    activation_ends_on: Mapped[date]
    #: True: the whole municipality; False: only the areas listed.
    whole_municipality: Mapped[bool] = mapped_column(default=True)
    cheque_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[timestamp]
    created_by_id: Mapped[user_fk | None]

    areas: Mapped[list[Area]] = relationship(secondary=campaign_areas, order_by="Area.code")


class CampaignAddressCount(HasId, db.Model):
    """How many addresses a neighbourhood has, for one cheque per address (no addresses kept)."""

    __tablename__ = "campaign_address_counts"
    __table_args__ = (UniqueConstraint("campaign_id", "area_id"),)

    campaign_id: Mapped[owned_by_campaign]
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    addresses: Mapped[int]

    area: Mapped[Area] = relationship()


class Cheque(HasId, db.Model):
    """One single-use cheque, kept only as a keyed hash of its code."""

    __tablename__ = "cheques"

    campaign_id: Mapped[owned_by_campaign]
    #: The neighbourhood the cheque was printed for, when issued per address.
    area_id: Mapped[area_fk | None]
    code_hash: Mapped[str64] = mapped_column(unique=True)
    status: Mapped[CodeStatus] = mapped_column(
        enum_column(CodeStatus), default=CodeStatus.ISSUED, index=True
    )
    #: The initiative the cheque was given to.
    idea_id: Mapped[idea_fk | None]
    redeemed_at: Mapped[utc_time | None]

    campaign: Mapped[ChequeCampaign] = relationship()
    idea: Mapped[Idea | None] = relationship()


class CoOrganiser(HasId, db.Model):
    """A resident who organises a cheque initiative with the author, confirmed by e-mail."""

    __tablename__ = "co_organisers"
    __table_args__ = (UniqueConstraint("idea_id", "email"),)

    idea_id: Mapped[owned_by_idea]
    name: Mapped[str80]
    #: None once the initiative is decided and `flask privacy retention` erased the contact data.
    email: Mapped[str254 | None]
    #: SHA-256 of the confirmation token sent by e-mail (None once erased, as above).
    token_hash: Mapped[str64 | None] = mapped_column(unique=True)
    #: A keyed hash of postcode and house number, to tell addresses apart without keeping them.
    address_hash: Mapped[str64 | None]
    confirmed_at: Mapped[utc_time | None]

    idea: Mapped[Idea] = relationship()


class PotEntry(HasId, db.Model):
    """Money that returns to the municipal pot (cheques of initiatives that did not reach their target)."""

    __tablename__ = "pot_entries"

    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("cheque_campaigns.id"), index=True)
    idea_id: Mapped[idea_fk | None]
    amount_cents: Mapped[int]
    reason: Mapped[empty_text]
    created_at: Mapped[timestamp]

    idea: Mapped[Idea | None] = relationship()
