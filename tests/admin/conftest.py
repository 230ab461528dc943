"""Fixtures for the administration tests: logged-in staff, uploads, counting rows."""

from __future__ import annotations

import io

import pytest
from factories import make_user
from sqlalchemy import func, select

from buurtbegroting.models import AuditEntry, Role


@pytest.fixture()
def admin(db, login):
    """An administrator, logged in on the test client."""
    user = make_user(role=Role.ADMIN, email="beheer@oss.nl", display_name="Beheerder")
    db.session.commit()
    return login(user)


@pytest.fixture()
def upload(client):
    """Post a file to an import page: upload(url, text_or_bytes, filename="data.csv")."""

    def _upload(url, content, filename="data.csv"):
        data = content.encode("utf-8") if isinstance(content, str) else content
        return client.post(
            url,
            data={"file": (io.BytesIO(data), filename)},
            content_type="multipart/form-data",
        )

    return _upload


@pytest.fixture()
def count(db):
    """Count the rows of a model: count(Area)."""

    def _count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    return _count


@pytest.fixture()
def audit_entries(db):
    """Return the audit entries of one action, oldest first."""

    def _entries(action: str) -> list[AuditEntry]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )

    return _entries
