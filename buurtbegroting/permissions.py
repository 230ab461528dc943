"""Every "may this user do this?" answer, for views and templates alike.

Each function takes the user (which may be anonymous) and the object, and returns a
bool. Views call :func:`require`; templates call the same functions (they are Jinja
globals), so a rule is written once.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.domain.groups import group_has_ended
from buurtbegroting.domain.ideas import (
    EDITABLE_STATUSES,
    PRIVATE_STATUSES,
    SETUP_STATUSES,
    SUPPORTABLE_STATUSES,
    WITHDRAWABLE_STATUSES,
)
from buurtbegroting.models import (
    Area,
    AreaLevel,
    AreaPlan,
    Destination,
    IdeaStatus,
    MemberRole,
    ReportStatus,
    Role,
    User,
)

# --- roles and staff areas ------------------------------------------------------------


STAFF_ROLES = {Role.REVIEWER, Role.COORDINATOR, Role.ADMIN}


def _role(user) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role


def _is_user(user) -> bool:
    return _role(user) is not None


def is_admin(user) -> bool:
    """Tell whether the user is an administrator."""
    return _role(user) == Role.ADMIN


def is_staff(user) -> bool:
    """Tell whether the user works for the municipality (reviewer, coordinator, administrator)."""
    return _role(user) in STAFF_ROLES


def require(allowed: bool) -> None:
    """Stop the request with 403 Forbidden unless ``allowed``."""
    if not allowed:
        abort(403)


def guard_blueprint(bp, rule, endpoint_rules: dict | None = None):
    """Guard every route of a staff blueprint once, before the view runs.

    Anonymous visitors are sent to the login page (and back afterwards); a logged-in
    user for whom ``rule(user)`` is false gets 403. ``endpoint_rules`` gives some
    endpoints their own rule. The rule is kept on the blueprint as ``bp.guard_rule``
    so that the administration index links exactly the pages a user may open.
    """
    overrides = dict(endpoint_rules or {})

    def guard():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        require(overrides.get(request.endpoint, rule)(current_user))
        return None

    guard.__doc__ = f"Let in only users for whom {rule.__name__} holds."
    bp.guard_rule = rule
    bp.guard_endpoint_rules = overrides
    bp.before_request(guard)
    return guard


def template_functions() -> dict:
    """Return every can_*/is_* function, exposed to Jinja so templates ask what views ask."""
    return {
        name: obj
        for name, obj in globals().items()
        if name.startswith(("can_", "is_")) and callable(obj)
    }


def can_access_admin(user) -> bool:
    """Tell whether the user may open the administration at all."""
    return is_staff(user)


# --- accounts and the administration --------------------------------------------------


def can_manage_users(user) -> bool:
    """Tell whether the user may change accounts and roles (administrators)."""
    return is_admin(user)


def can_change_user(user, target: User) -> bool:
    """Tell whether the user may change this account; nobody changes their own role."""
    return can_manage_users(user) and user.id != target.id


def can_view_audit_log(user) -> bool:
    """Tell whether the user may read the audit log (administrators)."""
    return is_admin(user)


def can_read_outbox(user) -> bool:
    """Tell whether the user may read the e-mail outbox (administrators)."""
    return is_admin(user)


def can_retry_mail(user) -> bool:
    """Tell whether the user may queue failed e-mail again (administrators)."""
    return is_admin(user)


# --- areas and area plans -------------------------------------------------------------


def managed_area_ids(user) -> set[int] | None:
    """Return the ids of areas the user manages, or None for "all areas" (administrators)."""
    if is_admin(user):
        return None
    if _role(user) != Role.COORDINATOR:
        return set()
    ids: set[int] = set()
    stack = list(user.coordinated_areas)
    while stack:
        area = stack.pop()
        if area.id not in ids:
            ids.add(area.id)
            stack.extend(area.children)
    return ids


def can_manage_area(user, area: Area) -> bool:
    """Tell whether the user manages this area: an administrator, or its coordinator (or above)."""
    if is_admin(user):
        return True
    if _role(user) != Role.COORDINATOR or area is None:
        return False
    scope = {a.id for a in user.coordinated_areas}
    return area.id in scope or any(a.id in scope for a in area.ancestors())


def can_edit_area_tree(user) -> bool:
    """Tell whether the user may import and edit areas and postcodes (administrators)."""
    return is_admin(user)


def area_contains(outer, inner) -> bool:
    """Tell whether ``inner`` is ``outer`` or lies somewhere below it."""
    node = inner
    while node is not None:
        if node.id == outer.id:
            return True
        node = node.parent
    return False


def _district_of(area):
    while area is not None and area.level != AreaLevel.DISTRICT:
        area = area.parent
    return area


def _same_district(a, b) -> bool:
    da, db_ = _district_of(a), _district_of(b)
    return da is not None and db_ is not None and da.id == db_.id


def can_create_plan(user) -> bool:
    """Tell whether the user may create an area plan for some area."""
    return is_admin(user) or _role(user) == Role.COORDINATOR


def can_edit_plan(user, plan: AreaPlan) -> bool:
    """Tell whether the user may edit (and adopt) this area plan."""
    return can_manage_area(user, plan.area)


def can_list_plans(user) -> bool:
    """Tell whether the user may open the list of area plans (administrators, coordinators)."""
    return is_admin(user) or _role(user) == Role.COORDINATOR


def can_import_indicators(user) -> bool:
    """Tell whether the user may import area-monitor indicators (administrators)."""
    return is_admin(user)


# --- ideas ----------------------------------------------------------------------------


def is_idea_owner(user, idea) -> bool:
    """Tell whether the user speaks for the idea: its author, or a coordinator of its group."""
    if not _is_user(user):
        return False
    return idea.author_id == user.id or is_group_coordinator(user, idea.group)


def can_create_idea(user) -> bool:
    """Tell whether the user may start an idea (any logged-in, active account)."""
    return _is_user(user)


def can_edit_idea(user, idea) -> bool:
    """Tell whether the user may change the idea: its owner, while a draft or when changes were asked."""
    return is_idea_owner(user, idea) and idea.status in EDITABLE_STATUSES


def can_withdraw_idea(user, idea) -> bool:
    """Tell whether the user may withdraw the idea (its owner, before a decision)."""
    return is_idea_owner(user, idea) and idea.status in WITHDRAWABLE_STATUSES


def can_view_idea(user, idea) -> bool:
    """Tell whether the user may see the idea; drafts and withdrawn ideas are only for their owners and reviewers."""
    if idea.status not in PRIVATE_STATUSES:
        return True
    if is_idea_owner(user, idea):
        return True
    return idea.status == IdeaStatus.WITHDRAWN and is_staff(user) and can_review_idea(user, idea)


def can_support_idea(user, idea) -> bool:
    """Tell whether the user may support the idea now (own district only, when the municipality says so)."""
    from flask import current_app

    if not _is_user(user) or idea.status not in SUPPORTABLE_STATUSES:
        return False
    if current_app.config["SUPPORT_OWN_DISTRICT_ONLY"]:
        return _same_district(user.area, idea.area)
    return True


# --- review ---------------------------------------------------------------------------


def can_review_ideas(user) -> bool:
    """Tell whether the user may open the review queue."""
    return is_staff(user)


def can_review_idea(user, idea) -> bool:
    """Tell whether the user may review this idea: reviewers, administrators, the area's coordinators."""
    if _role(user) in {Role.ADMIN, Role.REVIEWER}:
        return True
    return can_manage_area(user, idea.area)


# --- thematic groups ------------------------------------------------------------------


def is_group_coordinator(user, group) -> bool:
    """Tell whether the user coordinates this thematic group."""
    if not _is_user(user) or group is None:
        return False
    return any(m.user_id == user.id and m.role == MemberRole.COORDINATOR for m in group.memberships)


def is_group_member(user, group) -> bool:
    """Tell whether the user is a member (or coordinator) of this thematic group."""
    if not _is_user(user) or group is None:
        return False
    return any(m.user_id == user.id for m in group.memberships)


def can_create_group(user) -> bool:
    """Tell whether the user may start a thematic group (any logged-in, active account)."""
    return _is_user(user)


def can_edit_group(user, group) -> bool:
    """Tell whether the user may change the group and its coordinators: its coordinators, administrators."""
    return is_group_coordinator(user, group) or is_admin(user)


def can_join_group(user, group) -> bool:
    """Tell whether the user may join the group."""
    return _is_user(user) and not is_group_member(user, group)


def is_group_ended(group, today=None) -> bool:
    """Tell whether the group has ended: its end date has passed, or its last member left."""
    return group_has_ended(group.end_date, len(group.memberships), today or today_nl())


def can_join_running_group(user, group) -> bool:
    """Tell whether the user may join the group now: not a member yet, and the group has not ended."""
    return can_join_group(user, group) and not is_group_ended(group)


def can_mark_council(user, group) -> bool:
    """Tell whether the user may mark a group as the council of its area (the municipality)."""
    return can_manage_area(user, group.area)


def can_give_advice(user, group, idea) -> bool:
    """Tell whether the user may give (or change) the council's advice on an idea in its area."""
    return (
        group.is_council
        and is_group_coordinator(user, group)
        and idea.status not in PRIVATE_STATUSES
        and area_contains(group.area, idea.area)
    )


# --- budget rounds --------------------------------------------------------------------


def can_create_round(user) -> bool:
    """Tell whether the user may set up a budget round (administrators and area coordinators)."""
    return is_admin(user) or _role(user) == Role.COORDINATOR


def can_administer_rounds(user) -> bool:
    """Tell whether the user may open the round administration (the guard of its blueprint)."""
    return is_staff(user) and can_create_round(user)


def can_manage_round(user, round_) -> bool:
    """Tell whether the user may change a round: administrators, or a coordinator of all its areas."""
    if is_admin(user):
        return True
    if _role(user) != Role.COORDINATOR:
        return False
    return all(can_manage_area(user, ra.area) for ra in round_.areas)


def can_close_round(user, round_) -> bool:
    """Tell whether the user may close a round (administrators only)."""
    return is_admin(user)


def can_set_kiosk(user) -> bool:
    """Tell whether the user may mark a device as a voting kiosk (administrators only)."""
    return is_admin(user)


def can_override_result(user, round_) -> bool:
    """Tell whether the user may mark a winner of a closed round as not funded (administrators)."""
    return is_admin(user) and round_.closed_at is not None


def can_manage_codes(user, round_) -> bool:
    """Tell whether the user may make, export and re-issue the round's voting codes (administrators)."""
    return is_admin(user)


def can_enter_paper_ballots(user, round_) -> bool:
    """Tell whether the user may type paper ballots of the round (administrators)."""
    return is_admin(user)


def can_view_network_signals(user, round_) -> bool:
    """Tell whether the user may see the round's ballots per network prefix (administrators)."""
    return is_admin(user)


# --- cheques --------------------------------------------------------------------------


def can_list_jobs(user) -> bool:
    """Tell whether the user may open the jobs pages (staff; each sees the jobs they started)."""
    return is_staff(user)


def can_view_job(user, job) -> bool:
    """Tell whether the user may follow a job and take its result (who started it, administrators)."""
    if is_admin(user):
        return True
    return is_staff(user) and job.created_by_id is not None and job.created_by_id == user.id


def can_run_routines(user) -> bool:
    """Tell whether the user may start a scheduled routine now (administrators)."""
    return is_admin(user)


def can_manage_cheque_campaigns(user) -> bool:
    """Tell whether the user may create cheque campaigns, make codes and see statistics (administrators)."""
    return is_admin(user)


def can_list_cheque_initiatives(user) -> bool:
    """Tell whether the user may open the list of collecting initiatives (administrators, coordinators)."""
    return is_admin(user) or _role(user) == Role.COORDINATOR


def can_extend_target_date(user, idea) -> bool:
    """Tell whether the user may extend the target date of a collecting initiative (once, in their area)."""
    return (
        can_list_cheque_initiatives(user)
        and can_manage_area(user, idea.area)
        and idea.status == IdeaStatus.ACCEPTED
        and idea.destination == Destination.CHEQUES
        and not idea.target_date_extended
    )


def can_organise_cheques(user, idea) -> bool:
    """Tell whether the user may set the target, date and co-organisers: the owner, before the decision."""
    return is_idea_owner(user, idea) and idea.status in SETUP_STATUSES


# --- accountability -------------------------------------------------------------------


def can_manage_accountability(user) -> bool:
    """Tell whether the user may open the municipality's accountability pages (coordinators, administrators)."""
    return is_admin(user) or _role(user) == Role.COORDINATOR


def can_manage_funding(user, funding) -> bool:
    """Tell whether the user may record payouts and returns and judge the report: the area's coordinators, administrators."""
    return can_manage_accountability(user) and can_manage_area(user, funding.idea.area)


def can_report_on(user, funding) -> bool:
    """Tell whether the user may add milestones, updates, expenses and the report: the initiators, until the report is sent."""
    return is_idea_owner(user, funding.idea) and funding.status not in {
        ReportStatus.REPORT_SUBMITTED,
        ReportStatus.APPROVED,
    }


def can_see_private_accountability(user, funding) -> bool:
    """Tell whether the user may see receipts and the bank account: the initiators and the area's municipality."""
    return is_idea_owner(user, funding.idea) or can_manage_funding(user, funding)
