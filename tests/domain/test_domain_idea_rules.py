"""The lifecycle of ideas, the checks at submission, and cost lines to warn about."""

import pytest

from buurtbegroting.domain import ideas as rules


def test_allowed_path_from_draft_to_accounted():
    path = [
        "draft",
        "submitted",
        "in_review",
        "accepted",
        "funded",
        "in_progress",
        "completed",
        "accounted",
    ]
    for current, target in zip(path, path[1:], strict=False):
        rules.check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("draft", "accepted"),
        ("rejected", "submitted"),
        ("withdrawn", "draft"),
        ("accepted", "rejected"),
    ],
)
def test_forbidden_transitions(current, target):
    with pytest.raises(rules.InvalidTransition):
        rules.check_transition(current, target)


def test_rejection_and_request_for_changes_need_a_message():
    with pytest.raises(rules.MessageRequired):
        rules.check_transition("in_review", "rejected", "  ")
    with pytest.raises(rules.MessageRequired):
        rules.check_transition("submitted", "changes_requested", "")
    rules.check_transition("in_review", "rejected", "Valt buiten de regels.")


def test_submission_checks_cost_limits_per_destination():
    budget = rules.DestinationRules(min_cents=300_000)
    cheques = rules.DestinationRules(max_cents=500_000)
    ok = {"title": "t", "summary": "s", "has_theme": True, "cost_lines": 1}
    assert [p.code for p in rules.submission_problems(total_cents=250_000, rules=budget, **ok)] == [
        "below_minimum"
    ]
    assert rules.submission_problems(total_cents=300_000, rules=budget, **ok) == []
    assert [
        p.code for p in rules.submission_problems(total_cents=500_001, rules=cheques, **ok)
    ] == ["above_maximum"]


def test_submission_needs_text_theme_and_costs():
    found = rules.submission_problems(
        title=" ",
        summary="",
        has_theme=False,
        cost_lines=0,
        total_cents=0,
        rules=rules.DestinationRules(),
    )
    assert [p.code for p in found] == ["text_missing", "theme_missing", "costs_missing"]


def test_cost_items_to_warn_about():
    lines = [
        ("Koffie en thee", 2500),
        ("Zaalhuur buurthuis", 15000),
        ("Zaalhuur klein", 8000),
        ("Verf", 4000),
        ("Al gemaakt: flyers", 3000),
    ]
    assert rules.cost_warnings(lines) == [(0, "food_drink"), (1, "venue_rent"), (4, "already_made")]
