"""What the models share: the UTC time type, the ``HasId`` mixin, and reusable columns.

The ``Annotated`` aliases below carry a whole column declaration (SQLAlchemy 2's
"mapping whole column declarations to Python types"): ``created_at: Mapped[timestamp]``
is the column ``mapped_column(UTCDateTime, default=utcnow)``, not null. Optional makes
it nullable (``Mapped[utc_time | None]``), and a ``mapped_column(...)`` at the attribute
adds to it (``Mapped[timestamp] = mapped_column(index=True)``).
"""

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import Column, DateTime, Enum, ForeignKey, MetaData, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime, stored the same way on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(cls, length: int = 24) -> Enum:
    """Return the column type of a status enum: its values stored as text (no database enum type)."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def owner_key(target: str, **kwargs):
    """Return the indexed key of the row this one belongs to; deleting that row deletes this one."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), index=True, **kwargs)


def key_part(target: str, **kwargs):
    """Return a part of a composite primary key that points to ``target`` (deleted with it)."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), primary_key=True, **kwargs)


def link_table(metadata: MetaData, name: str, *keys: tuple[str, str]) -> Table:
    """Return a table that links rows of two tables; ``keys`` are (column, target) pairs."""
    return Table(
        name,
        metadata,
        *(
            Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True)
            for column, target in keys
        ),
    )


def children(order_by: str, back_populates: str | None = None, **kwargs):
    """Return an ordered one-to-many relationship to rows saved and deleted with this one."""
    return relationship(
        back_populates=back_populates, order_by=order_by, cascade="all, delete-orphan", **kwargs
    )


class HasId:
    """Mixin: the integer primary key ``id`` of most tables, the first column of the table."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)


#: A moment, as an aware UTC datetime; ``timestamp`` is set when the row is made, and
#: ``update_timestamp`` again at every change of the row.
utc_time = Annotated[datetime, mapped_column(UTCDateTime)]
timestamp = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow)]
update_timestamp = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)]

#: Text without a length limit; ``empty_text`` starts as "" rather than None.
long_text = Annotated[str, mapped_column(Text)]
empty_text = Annotated[str, mapped_column(Text, default="")]

#: Text up to a length: 40 (short codes and labels), 64 (hex digests and keys), 80 (file
#: names, display names), 120 (names and titles), 200 (summaries, one-line texts) and 254
#: (e-mail addresses, the longest RFC 5321 allows).
str40 = Annotated[str, mapped_column(String(40))]
str64 = Annotated[str, mapped_column(String(64))]
str80 = Annotated[str, mapped_column(String(80))]
str120 = Annotated[str, mapped_column(String(120))]
str200 = Annotated[str, mapped_column(String(200))]
str254 = Annotated[str, mapped_column(String(254))]

#: A key to an account that did something (the author, the reviewer, who closed it).
user_fk = Annotated[int, mapped_column(ForeignKey("users.id"))]
#: A key to an account, set to None when the account is deleted (the row stays).
erasable_user_fk = Annotated[int, mapped_column(ForeignKey("users.id", ondelete="SET NULL"))]
#: A key to the area a row is about, indexed: lists are filtered by area.
area_fk = Annotated[int, mapped_column(ForeignKey("areas.id"), index=True)]
#: A key to the idea a row is about, indexed.
idea_fk = Annotated[int, mapped_column(ForeignKey("ideas.id"), index=True)]

#: The key of the row a row belongs to (see ``owner_key``): the idea of a photo, the
#: account of a follow, the funding of a milestone, the round area of a ballot, …
owned_by_argument = Annotated[int, owner_key("arguments.id")]
owned_by_campaign = Annotated[int, owner_key("cheque_campaigns.id")]
owned_by_funding = Annotated[int, owner_key("fundings.id")]
owned_by_group = Annotated[int, owner_key("thematic_groups.id")]
owned_by_idea = Annotated[int, owner_key("ideas.id")]
owned_by_round = Annotated[int, owner_key("budget_rounds.id")]
owned_by_round_area = Annotated[int, owner_key("round_areas.id")]
owned_by_user = Annotated[int, owner_key("users.id")]
