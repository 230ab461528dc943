"""Every kind of administrative act written to the audit log has a label in the audit pages."""

import ast
from pathlib import Path

from buurtbegroting.admin.forms import ACTION_LABELS

PACKAGE = Path(__file__).resolve().parents[2] / "buurtbegroting"


def _recorded_actions() -> set[str]:
    actions = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", None)
            )
            if name == "record" and len(node.args) >= 2:
                arg = node.args[1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    actions.add(arg.value)
                elif isinstance(arg, ast.IfExp):
                    actions |= {
                        a.value for a in (arg.body, arg.orelse) if isinstance(a, ast.Constant)
                    }
    return actions


def test_every_recorded_action_has_a_label():
    actions = _recorded_actions()
    assert len(actions) > 30
    assert sorted(actions - set(ACTION_LABELS)) == []
