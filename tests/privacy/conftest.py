"""Fixtures of the privacy tests."""

import pytest


@pytest.fixture()
def archive_folder(app, tmp_path):
    """A fresh folder for the audit archive, set in the app's configuration."""
    folder = tmp_path / "audit-archive"
    saved = app.config["AUDIT_ARCHIVE_FOLDER"]
    app.config["AUDIT_ARCHIVE_FOLDER"] = str(folder)
    yield folder
    app.config["AUDIT_ARCHIVE_FOLDER"] = saved


@pytest.fixture()
def retention(runner, archive_folder):
    """Run `flask privacy retention` and return its result (it must succeed)."""

    def _run(ok=True):
        result = runner.invoke(args=["privacy", "retention"])
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return _run
