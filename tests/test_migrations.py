"""Migrations build the schema from nothing, and agree with the models."""

import flask_migrate
import pytest
from sqlalchemy import inspect

from buurtbegroting import create_app
from buurtbegroting.extensions import db
from tests.dbsupport import database_url, make_config


@pytest.fixture()
def empty_app(tmp_path):
    app = create_app(make_config(database_url(tmp_path, "migrations")))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_upgrade_from_empty_database_matches_the_models(empty_app):
    flask_migrate.upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables
    # Raises (and exits) when autogenerate finds any difference between models and schema.
    flask_migrate.check()


def test_downgrade_to_base_and_upgrade_again(empty_app):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    flask_migrate.upgrade()
    assert "users" in inspect(db.engine).get_table_names()
