"""Database URLs and configurations for tests, importable from any test module."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from config import TestConfig


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def postgres_url_for(name_suffix: str) -> str | None:
    """Return a fresh PostgreSQL database URL for this worker, or None when not configured."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return None
    import psycopg

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database or 'test'}_{name_suffix}_{_worker()}"
    admin = url.set(drivername="postgresql", database="postgres")
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def database_url(tmp_dir: Path, suffix: str) -> str:
    """Return the database URL for a suffix: PostgreSQL when configured, else a SQLite file."""
    return postgres_url_for(suffix) or f"sqlite:///{tmp_dir / f'{suffix}.db'}"


def make_config(url: str, **overrides):
    """Return a TestConfig subclass bound to a database URL."""
    return type("BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, **overrides})
