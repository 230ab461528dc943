"""Thematic groups: start, join, leave, coordinate; council advice on ideas."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.follows.services import is_following
from buurtbegroting.forms import area_choices
from buurtbegroting.groups import bp, services
from buurtbegroting.groups.forms import (
    FREE_THEME,
    POSITION_LABELS,
    ActionForm,
    AdviceForm,
    FilterForm,
    GroupForm,
    RoleForm,
)
from buurtbegroting.models import (
    AdvicePosition,
    Area,
    FollowTarget,
    GroupMembership,
    Idea,
    MemberRole,
    Spearhead,
    ThematicGroup,
)
from buurtbegroting.permissions import (
    can_create_group,
    can_edit_group,
    can_give_advice,
    can_mark_council,
    require,
)
from buurtbegroting.rendering import render_form
from buurtbegroting.templating import add_label_globals

add_label_globals(bp, advice_position_label=(POSITION_LABELS, AdvicePosition))


def _theme_choices(extra: Spearhead | None = None) -> list[SelectChoice]:
    choices = [SelectChoice(FREE_THEME, _("My own theme (describe it below)"))]
    seen = set()
    for plan in services.theme_plans():
        group_label = _("Area plan %(name)s", name=plan.area.name)
        for s in plan.spearheads:
            seen.add(s.id)
            choices.append(SelectChoice(str(s.id), s.title, optgroup=group_label))
    if extra is not None and extra.id not in seen:
        # The group's spearhead from an older plan stays selectable.
        choices.append(
            SelectChoice(
                str(extra.id),
                extra.title,
                optgroup=_("Area plan %(name)s", name=extra.plan.area.name),
            )
        )
    return choices


def _group_data(form: GroupForm) -> services.GroupData:
    spearhead_id = form.spearhead_value
    return services.GroupData(
        name=form.name.data,
        area=db.session.get(Area, form.area_value),
        spearhead=db.session.get(Spearhead, spearhead_id) if spearhead_id else None,
        free_theme=form.free_theme.data or None,
        description=form.description.data,
        end_date=form.end_date.data,
    )


def _field_error(form, error: services.GroupError) -> None:
    target = form[error.field] if error.field and error.field in form else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _load_page(group_id: int) -> ThematicGroup:
    group = services.load_group_page(group_id)
    if group is None:
        abort(404)
    return group


def _render_page(group: ThematicGroup, error: str | None = None, status: int = 200):
    return render_template(
        "groups/show.html",
        group=group,
        ideas=services.public_ideas(group),
        advices=services.public_advices(group),
        coordinators=services.coordinator_count(group),
        action_form=ActionForm(formdata=None),
        error=error,
        today=today_nl(),
        following=is_following(current_user, FollowTarget.GROUP, group.id),
    ), status


# --- list and page --------------------------------------------------------------------------


@bp.route("/groepen")
def index():
    """List the thematic groups, running ones first; filter by area."""
    areas = services.all_areas()
    form = FilterForm(request.args)
    form.gebied.choices = [SelectChoice("", _("All areas")), *area_choices(areas)]
    valid = form.validate() if request.args else True
    area_id = int(form.gebied.data) if valid and form.gebied.data else None
    groups = services.list_groups(area_id, areas)
    return render_template(
        "groups/index.html", form=form, groups=groups, today=today_nl()
    ), 200 if valid else 422


@bp.route("/groepen/<int:group_id>")
def show(group_id):
    """Show a group: theme, members (names only), its ideas and its advice."""
    return _render_page(_load_page(group_id))


# --- start and change -----------------------------------------------------------------------


@bp.route("/groepen/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Start a thematic group; the founder becomes its coordinator."""
    require(can_create_group(current_user))
    areas = services.all_areas()
    form = GroupForm()
    form.area_id.choices = area_choices(areas)
    form.theme.choices = _theme_choices()
    if request.method == "GET" and current_user.area_id:
        form.area_id.data = str(current_user.area_id)
    return _save(
        form,
        lambda data: services.create_group(current_user, data),
        _("Your group has been started. You are its coordinator."),
    )


@bp.route("/groepen/<int:group_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(group_id):
    """Change a group's name, theme, area, description and end date (coordinators, administrators)."""
    group = db.get_or_404(ThematicGroup, group_id)
    require(can_edit_group(current_user, group))
    form = GroupForm(obj=group, keep_end_date=group.end_date)
    form.area_id.choices = area_choices(services.all_areas())
    form.theme.choices = _theme_choices(extra=group.spearhead)
    if request.method == "GET":
        form.area_id.data = str(group.area_id)
        form.theme.data = str(group.spearhead_id) if group.spearhead_id else FREE_THEME
    return _save(
        form,
        lambda data: services.update_group(group, current_user, data),
        _("The group has been saved."),
        group,
    )


def _save(form: GroupForm, save, message: str, group: ThematicGroup | None = None):
    """Save a valid group form with ``save(data)``, or show the form again with its errors."""
    if form.validate_on_submit():
        try:
            saved = save(_group_data(form))
        except services.GroupError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("groups.show", group_id=saved.id))
    return render_form("groups/form.html", form=form, group=group)


# --- membership -----------------------------------------------------------------------------


def _check_action_form() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _change(group: ThematicGroup, act, said, anchor: str | None = None):
    """Run ``act()``, commit, say ``said(result)`` and go back to the group's page.

    A refusal of the service is shown on the group's page.
    """
    try:
        result = act()
    except services.GroupError as error:
        return _render_page(group, error=str(error), status=422)
    db.session.commit()
    flash(said(result), "success")
    return redirect(url_for("groups.show", group_id=group.id, _anchor=anchor))


def _membership_change(group_id: int, change, said):
    """Let the user join or leave the group: ``change(group, user)``, then ``said(group, result)``."""
    group = _load_page(group_id)
    _check_action_form()
    return _change(group, lambda: change(group, current_user), lambda result: said(group, result))


def _joined(group: ThematicGroup, _result) -> str:
    return _("You are now a member of %(name)s.", name=group.name)


def _left(group: ThematicGroup, ended: bool) -> str:
    if ended:
        return _(
            "You have left %(name)s. You were the last member, so the group has ended.",
            name=group.name,
        )
    return _("You have left %(name)s.", name=group.name)


@bp.route("/groepen/<int:group_id>/lid-worden", methods=["POST"])
@login_required
def join(group_id):
    """Join a group."""
    return _membership_change(group_id, services.join_group, _joined)


@bp.route("/groepen/<int:group_id>/verlaten", methods=["POST"])
@login_required
def leave(group_id):
    """Leave a group; when the last member leaves, the group ends."""
    return _membership_change(group_id, services.leave_group, _left)


@bp.route("/groepen/<int:group_id>/leden/<int:membership_id>/rol", methods=["POST"])
@login_required
def set_role(group_id, membership_id):
    """Appoint a member as coordinator, or make a coordinator a plain member (never the last one)."""
    group = _load_page(group_id)
    membership = db.get_or_404(GroupMembership, membership_id)
    if membership.group_id != group.id:
        abort(404)
    require(can_edit_group(current_user, group))
    form = RoleForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _render_page(group, error=form.role.errors[0], status=422)
    role = MemberRole(form.role.data)
    return _change(
        group,
        lambda: services.set_role(group, membership, role, actor=current_user),
        lambda _set: _role_set(membership.user.display_name, role),
        anchor="leden",
    )


def _role_set(name: str, role: MemberRole) -> str:
    if role == MemberRole.COORDINATOR:
        return _("%(name)s is now a coordinator.", name=name)
    return _("%(name)s is no longer a coordinator.", name=name)


# --- council --------------------------------------------------------------------------------


@bp.route("/groepen/<int:group_id>/wijkraad", methods=["POST"])
@login_required
def council(group_id):
    """Mark the group as its area's neighbourhood or village council, or unmark it (municipality)."""
    group = _load_page(group_id)
    require(can_mark_council(current_user, group))
    _check_action_form()
    wanted = request.form.get("wijkraad") == "1"
    changed = services.set_council(group, current_user, wanted)
    db.session.commit()
    if changed and wanted:
        flash(
            _(
                "%(name)s is now the neighbourhood or village council of %(area)s.",
                name=group.name,
                area=group.area.name,
            ),
            "success",
        )
    elif changed:
        flash(
            _("%(name)s is no longer the neighbourhood or village council.", name=group.name),
            "success",
        )
    return redirect(url_for("groups.show", group_id=group.id))


@bp.route("/ideeen/<int:idea_id>/advies", methods=["GET", "POST"])
@login_required
def advice(idea_id):
    """Let a council give its one advice on an idea in its area, or change it."""
    idea = db.get_or_404(Idea, idea_id)
    group_id = request.args.get("groep", type=int)
    if group_id is None:
        abort(404)
    group = db.get_or_404(ThematicGroup, group_id)
    require(can_give_advice(current_user, group, idea))
    existing = services.advice_of(group, idea)
    form = AdviceForm(obj=existing)
    if request.method == "GET" and existing is not None:
        form.position.data = existing.position.value
    if form.validate_on_submit():
        services.give_advice(
            group, idea, current_user, AdvicePosition(form.position.data), form.text.data
        )
        db.session.commit()
        flash(_("The advice of %(name)s has been saved.", name=group.name), "success")
        return redirect(url_for("ideas.show", idea_id=idea.id))
    return render_form("groups/advice.html", form=form, idea=idea, group=group, existing=existing)
