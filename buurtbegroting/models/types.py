"""Column types shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Enum, ForeignKey, MetaData, Table
from sqlalchemy.orm import mapped_column
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
