"""The pure layers stay pure: importing the domain and the tally engine loads neither Flask nor SQLAlchemy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "module",
    [
        "buurtbegroting.domain",
        "buurtbegroting.domain.areas",
        "buurtbegroting.domain.boundaries",
        "buurtbegroting.domain.geo",
        "buurtbegroting.domain.codes",
        "buurtbegroting.domain.csv_import",
        "buurtbegroting.domain.dates",
        "buurtbegroting.domain.ideas",
        "buurtbegroting.domain.money",
        "buurtbegroting.domain.rounds",
        "buurtbegroting.domain.text",
        "buurtbegroting.tally",
        "buurtbegroting.tally.pabulib",
    ],
)
def test_pure_module_loads_neither_flask_nor_sqlalchemy(module):
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy', 'werkzeug'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == []
