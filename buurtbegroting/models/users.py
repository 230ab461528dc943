"""Accounts, roles, and the areas a coordinator is responsible for."""

from __future__ import annotations

import enum
from datetime import date

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.types import (
    HasId,
    area_fk,
    enum_column,
    link_table,
    str80,
    str254,
    timestamp,
    utc_time,
)

#: The one inactive account that holds the ideas of deleted accounts, shown as "a resident".
FORMER_RESIDENT_EMAIL = "former-resident@account.invalid"


class Role(enum.StrEnum):
    """What an account may do; coordinators are further scoped to areas."""

    RESIDENT = "resident"
    REVIEWER = "reviewer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


coordinator_areas = link_table(
    db.metadata, "coordinator_areas", ("user_id", "users.id"), ("area_id", "areas.id")
)


class User(UserMixin, HasId, db.Model):
    """A person with an account: a resident or a member of municipal staff."""

    __tablename__ = "users"

    #: Stored in lower case; unique.
    email: Mapped[str254] = mapped_column(unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str80]
    #: Normalised postcode (PC6 or PC4) the resident gave.
    postcode: Mapped[str | None] = mapped_column(String(6))
    #: The neighbourhood the postcode maps to.
    area_id: Mapped[area_fk | None]
    locale: Mapped[str | None] = mapped_column(String(5))
    #: Only to check a minimum voting age; optional until the resident votes with an account.
    birth_date: Mapped[date | None]
    role: Mapped[Role] = mapped_column(
        enum_column(Role, 20),
        default=Role.RESIDENT,
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[timestamp]
    last_login_at: Mapped[utc_time | None]
    #: Part of every session's user id; raising it ends every session of the account
    #: (log out, password change or reset, blocking).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: When the owner proved the address is theirs (a link from a verification e-mail).
    email_verified_at: Mapped[utc_time | None]

    area: Mapped[Area | None] = relationship()
    #: Areas a coordinator manages (with everything below them).
    coordinated_areas: Mapped[list[Area]] = relationship(
        secondary=coordinator_areas, order_by="Area.code"
    )

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def get_id(self) -> str:
        """Return the id stored in the session: the account and its session version."""
        return f"{self.id}:{self.session_version or 1}"

    def end_sessions(self) -> None:
        """Make every session of this account invalid (the caller logs in again if needed)."""
        self.session_version = (self.session_version or 1) + 1

    @property
    def is_former_resident(self) -> bool:
        """Tell whether this is the stand-in for deleted accounts."""
        return self.email == FORMER_RESIDENT_EMAIL

    @property
    def is_verified(self) -> bool:
        """Tell whether the owner has confirmed the e-mail address."""
        return self.email_verified_at is not None

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
