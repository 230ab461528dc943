"""Accounts and the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user
from wtforms import SelectChoice

from buurtbegroting.admin import bp, services
from buurtbegroting.admin.forms import (
    UserForm,
)
from buurtbegroting.admin.views.common import commit_or_show, list_page, searched_list
from buurtbegroting.extensions import db
from buurtbegroting.models import AuditEntry, Role, User
from buurtbegroting.permissions import (
    can_change_user,
    can_manage_users,
    can_view_audit_log,
    require,
)
from buurtbegroting.rendering import render_form, show_refusal


@bp.route("/gebruikers")
def users():
    """List accounts, with search by e-mail address or name, and pages."""
    require(can_manage_users(current_user))
    return searched_list("admin/users.html", services.user_query)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    """Change the role, the coordinated areas and the status of an account."""
    target = db.get_or_404(User, user_id)
    require(can_change_user(current_user, target))
    form = UserForm(obj=target)
    choices = services.coordinator_area_choices()
    form.areas.choices = [SelectChoice(str(a.id), f"{a.name} ({a.code})") for a in choices]
    if request.method == "GET":
        form.role.data = target.role.value
        form.areas.data = [str(a.id) for a in target.coordinated_areas]
        form.is_blocked.data = not target.is_active
    if form.validate_on_submit():
        chosen = {int(v) for v in form.areas.data or []}
        areas = [a for a in choices if a.id in chosen]
        if commit_or_show(
            form,
            lambda: services.update_user(
                target, Role(form.role.data), areas, not form.is_blocked.data, actor=current_user
            ),
            _("The account has been saved."),
        ):
            return redirect(url_for("admin.users"))
    return render_form("admin/user_edit.html", form, target=target, area_choices=choices)


@bp.route("/gebruikers/<int:user_id>/verwijderen", methods=["POST"])
def delete_user(user_id):
    """Delete an account the way its owner can (drafts go, other ideas stay as "a resident")."""
    from buurtbegroting.auth import privacy
    from buurtbegroting.forms import ConfirmForm

    target = db.get_or_404(User, user_id)
    require(can_change_user(current_user, target))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        files = privacy.delete_account(target, actor=current_user)
    except privacy.AccountKept as kept:
        show_refusal(kept)
        return redirect(url_for("admin.edit_user", user_id=user_id))
    privacy.commit_deletion(files)
    flash(_("The account has been deleted."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/logboek")
def audit_log():
    """List the audit log, newest first, filtered by action and actor."""
    require(can_view_audit_log(current_user))
    action = request.args.get("action", "")[:60]
    actor = request.args.get("actor", "")[:254]
    actions, actors = services.audit_filter_values()
    return list_page(
        "admin/audit.html",
        services.audit_query(action, actor),
        actions=actions,
        actors=actors,
        action=action,
        actor=actor,
    )


@bp.route("/logboek/<int:entry_id>")
def audit_entry(entry_id):
    """Show one audit entry with the values before and after."""
    entry = db.get_or_404(AuditEntry, entry_id)
    require(can_view_audit_log(current_user))
    keys = sorted(set(entry.before or {}) | set(entry.after or {}))
    return render_template("admin/audit_entry.html", entry=entry, keys=keys)
