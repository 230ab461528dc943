"""Areas (municipality, district, neighbourhood) and the postcodes that map to them."""

from __future__ import annotations

import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.types import HasId, area_fk, enum_column, long_text, str120


class AreaLevel(enum.StrEnum):
    """The level of an area in the CBS tree."""

    MUNICIPALITY = "municipality"
    DISTRICT = "district"
    NEIGHBOURHOOD = "neighbourhood"


class Area(HasId, db.Model):
    """A municipality (GM…), district or village (WK…) or neighbourhood (BU…)."""

    __tablename__ = "areas"

    #: CBS code: GM + 4 digits, WK + 6 digits, BU + 8 digits.
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str120]
    level: Mapped[AreaLevel] = mapped_column(enum_column(AreaLevel, 20))
    parent_id: Mapped[area_fk | None]
    #: The boundary: a GeoJSON Polygon or MultiPolygon in WGS84, as JSON text (maps/).
    boundary: Mapped[long_text | None] = mapped_column(deferred=True)

    parent: Mapped[Area | None] = relationship(remote_side="Area.id", back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.code")

    def ancestors(self) -> list[Area]:
        """Return the parent, grandparent, … of this area, nearest first."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name}>"


class Postcode(db.Model):
    """A postcode (PC4 like 5341 or PC6 like 5341AB) and the neighbourhood it belongs to."""

    __tablename__ = "postcodes"

    #: Normalised: upper case, no space.
    postcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    area_id: Mapped[area_fk]

    area: Mapped[Area] = relationship()
