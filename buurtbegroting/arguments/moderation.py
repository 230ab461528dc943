"""The moderation queue of reported arguments under /beheer/argumenten (guarded once)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user

from buurtbegroting.arguments import moderation_bp, queries, services
from buurtbegroting.arguments.forms import ModerationForm
from buurtbegroting.arguments.rules import can_moderate_argument, can_moderate_arguments
from buurtbegroting.arguments.views import refused
from buurtbegroting.extensions import db
from buurtbegroting.models import Argument
from buurtbegroting.permissions import guard_blueprint, managed_area_ids, require
from buurtbegroting.rendering import render_form

guard_blueprint(moderation_bp, can_moderate_arguments)


@moderation_bp.route("/")
def index():
    """List the reported arguments in the moderator's areas."""
    page = queries.queue(managed_area_ids(current_user))
    return render_template("arguments/moderation/index.html", page=page)


@moderation_bp.route("/<int:argument_id>", methods=["GET", "POST"])
def decide(argument_id):
    """Hide a reported argument with a public reason, or keep it."""
    argument = db.get_or_404(Argument, argument_id)
    require(can_moderate_argument(current_user, argument))
    form = ModerationForm()
    context = {"argument": argument, "reports": queries.open_reports_of(argument)}
    if form.validate_on_submit():
        try:
            if form.decision.data == "hide":
                services.hide(argument, current_user, form.reason.data)
            else:
                services.keep(argument, current_user)
        except services.ArgumentRefused as refusal:
            return refused(
                refusal, form.decision, "arguments/moderation/decide.html", form, **context
            )
        db.session.commit()
        flash(
            _("The argument has been hidden.")
            if form.decision.data == "hide"
            else _("The argument stays; its reports are closed."),
            "success",
        )
        return redirect(url_for("arguments.moderation.index"))
    return render_form("arguments/moderation/decide.html", form, **context)
