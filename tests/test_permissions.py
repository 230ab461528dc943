"""Who may do what: every rule of permissions.py for a person in every role, as one table."""

from __future__ import annotations

import pytest

from buurtbegroting import permissions as P
from buurtbegroting.models import IdeaStatus
from tests.conftest import ROLES
from tests.factories import make_district, make_idea, make_neighbourhood, make_plan, make_user

A, R, V, C, M = ROLES  # anonymous, resident, reviewer, coordinator, administrator

#: rule → the roles for whom it holds (the other roles are refused).
ROLE_RULES = {
    P.is_staff: {V, C, M},
    P.is_admin: {M},
    P.can_access_admin: {V, C, M},
    P.can_manage_users: {M},
    P.can_view_audit_log: {M},
    P.can_read_outbox: {M},
    P.can_edit_area_tree: {M},
    P.can_create_plan: {C, M},
    P.can_list_plans: {C, M},
    P.can_import_indicators: {M},
    P.can_create_idea: {R, V, C, M},
    P.can_review_ideas: {V, C, M},
    P.can_create_group: {R, V, C, M},
    P.can_create_round: {C, M},
    P.can_administer_rounds: {C, M},
    P.can_manage_cheque_campaigns: {M},
    P.can_list_cheque_initiatives: {C, M},
    P.can_manage_accountability: {C, M},
}


@pytest.mark.parametrize("rule", list(ROLE_RULES), ids=lambda r: r.__name__)
def test_role_rules(people, rule):
    got = {role for role in ROLES if rule(people[role])}
    assert got == ROLE_RULES[rule]


def test_a_blocked_administrator_has_no_rights(db):
    from buurtbegroting.models import Role

    blocked = make_user(role=Role.ADMIN, is_active=False)
    assert not any(rule(blocked) for rule in ROLE_RULES)


@pytest.fixture()
def places(people):
    """The coordinator's district and neighbourhood, and an area elsewhere."""
    elsewhere = make_neighbourhood(make_district(), postcodes=())
    return {"inside": people["neighbourhood"], "district": people["district"], "outside": elsewhere}


#: (rule, object) → roles for whom it holds. The coordinator coordinates "district".
AREA_TABLE = [
    (P.can_manage_area, "district", {C, M}),
    (P.can_manage_area, "inside", {C, M}),
    (P.can_manage_area, "outside", {M}),
]


@pytest.mark.parametrize(("rule", "where", "allowed"), AREA_TABLE)
def test_area_rules(people, places, rule, where, allowed):
    assert {role for role in ROLES if rule(people[role], places[where])} == allowed


def test_plan_rules_follow_the_area(people, places):
    inside, outside = make_plan(places["district"]), make_plan(places["outside"].parent)
    assert {r for r in ROLES if P.can_edit_plan(people[r], inside)} == {C, M}
    assert {r for r in ROLES if P.can_edit_plan(people[r], outside)} == {M}


@pytest.mark.parametrize(
    ("status", "viewers", "editors", "supporters"),
    [
        (IdeaStatus.DRAFT, {"author"}, {"author"}, set()),
        (IdeaStatus.SUBMITTED, {A, R, V, C, M, "author"}, set(), {R, V, C, M, "author"}),
        (IdeaStatus.CHANGES_REQUESTED, {A, R, V, C, M, "author"}, {"author"}, set()),
        (IdeaStatus.ACCEPTED, {A, R, V, C, M, "author"}, set(), {R, V, C, M, "author"}),
        (IdeaStatus.WITHDRAWN, {V, C, M, "author"}, set(), set()),
        (IdeaStatus.REJECTED, {A, R, V, C, M, "author"}, set(), set()),
    ],
)
def test_idea_rules_by_status(people, places, status, viewers, editors, supporters):
    author = make_user(area=places["inside"])
    idea = make_idea(places["inside"], author=author, status=status)
    everyone = {**{r: people[r] for r in ROLES}, "author": author}
    assert {k for k, u in everyone.items() if P.can_view_idea(u, idea)} == viewers
    assert {k for k, u in everyone.items() if P.can_edit_idea(u, idea)} == editors
    assert {k for k, u in everyone.items() if P.can_support_idea(u, idea)} == supporters


def test_review_of_one_idea_depends_on_the_area_for_coordinators(people, places):
    inside = make_idea(places["inside"])
    outside = make_idea(places["outside"])
    assert {r for r in ROLES if P.can_review_idea(people[r], inside)} == {V, C, M}
    assert {r for r in ROLES if P.can_review_idea(people[r], outside)} == {V, M}
