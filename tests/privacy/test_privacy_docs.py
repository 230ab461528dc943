"""docs/privacy.md names every table, so the register keeps up with the code."""

import re
from pathlib import Path

from buurtbegroting.extensions import db

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def _documented() -> set[str]:
    # A table is documented by a row of one of the tables: | `name` | ...
    return set(re.findall(r"^\| `([a-z_]+)` \|", DOC.read_text(encoding="utf-8"), re.M))


def test_every_table_is_described_in_the_privacy_document(app):
    missing = sorted(set(db.metadata.tables) - _documented())
    assert missing == [], f"describe these tables in docs/privacy.md: {missing}"


def test_the_privacy_document_names_no_table_that_does_not_exist(app):
    # sealed_ballots is announced (sealed envelopes during voting) and may not exist yet.
    extra = sorted(_documented() - set(db.metadata.tables) - {"sealed_ballots"})
    assert extra == []


def test_every_retention_setting_in_the_document_exists(app):
    settings = re.findall(r"^\| `([A-Z_]+)` \|", DOC.read_text(encoding="utf-8"), re.M)
    assert {"OUTBOX_RETENTION_DAYS", "AUDIT_RETENTION_YEARS"} <= set(settings)
    assert [s for s in settings if s not in app.config] == []
