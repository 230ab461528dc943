"""Fixtures for the administration tests: logged-in staff, uploads, counting rows."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from buurtbegroting.models import AuditEntry, Role
from tests.factories import make_user


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
        # Encode the body in memory: for large bodies the test client would use a
        # temporary file that it never closes (a ResourceWarning, an error here).
        boundary, body = encode_multipart(
            MultiDict({"file": FileStorage(io.BytesIO(data), filename=filename)})
        )
        return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")

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
