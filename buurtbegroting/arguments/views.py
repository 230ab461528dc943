"""Residents post arguments on an idea, reply, mark them helpful and report them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.views import View
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from buurtbegroting.arguments import bp, queries, services
from buurtbegroting.arguments.forms import ArgumentForm, ReplyForm, ReportForm
from buurtbegroting.arguments.labels import REASON_LABELS, SIDE_LABELS
from buurtbegroting.arguments.rules import can_moderate_argument, can_moderate_arguments
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.models import Argument, Idea
from buurtbegroting.rendering import idea_or_404, render_form
from buurtbegroting.templating import add_label_globals


def _argument(argument_id: int) -> Argument:
    argument = db.get_or_404(Argument, argument_id)
    idea_or_404(argument.idea_id)
    return argument


def _back(argument: Argument):
    anchor = f"argument-{argument.parent_id or argument.id}"
    return redirect(url_for("ideas.show", idea_id=argument.idea_id, _anchor=anchor))


def refused(refusal: services.ArgumentRefused, field=None, template=None, form=None, **context):
    """Answer a refusal: the message at ``field`` of the form, or on its own page; a 4xx."""
    db.session.rollback()
    message = str(refusal.messages[0])
    if refusal.status == 429 and refusal.wait:
        from buurtbegroting.throttle import wait_text

        message = f"{message} {wait_text(refusal.wait)}"
    if field is not None and template is not None:
        field.errors = [*field.errors, message]
        response = render_form(template, form, status=refusal.status, **context)
    else:
        idea = context.get("idea")
        response = (
            render_template("arguments/refused.html", message=message, idea=idea),
            (refusal.status),
        )
    if refusal.status == 429 and refusal.wait:
        body, status = response
        return body, status, {"Retry-After": str(refusal.wait)}
    return response


def idea_section(idea: Idea) -> queries.Section:
    """Return the arguments section of the idea page, with an empty form to post one."""
    found = queries.section(idea, current_user, request.args.get("sort"))
    found.form = ArgumentForm(formdata=None)
    return found


def _form_page(form, template: str, field_name: str, act, success: str, **context):
    """Show ``form``; on a valid post run ``act()`` (which returns the argument), commit, go back.

    A refusal of the service is shown at the field ``field_name`` with its 4xx.
    """
    if form.validate_on_submit():
        try:
            argument = act()
        except services.ArgumentRefused as refusal:
            return refused(refusal, form[field_name], template, form, **context)
        db.session.commit()
        flash(success, "success")
        return _back(argument)
    return render_form(template, form, **context)


@bp.route("/ideeen/<int:idea_id>/argumenten", methods=["GET", "POST"])
@login_required
def new(idea_id):
    """Post an argument for or against an idea."""
    idea = idea_or_404(idea_id)
    form = ArgumentForm()
    return _form_page(
        form,
        "arguments/new.html",
        "body",
        lambda: services.post_argument(idea, current_user, form.side.data, form.body.data),
        _("Thank you. Your argument has been posted."),
        idea=idea,
    )


class _ArgumentFormPage(View):
    """A page with one form about an argument: on a valid post, act on it and go back."""

    methods = ["GET", "POST"]
    decorators = [login_required]
    #: the form, its template, the field that shows a refusal, what to say once it is done
    form_class: type
    template: str
    field = "body"
    success: str

    def act(self, argument: Argument, form) -> Argument:
        """Run the service for the valid form; return the argument to go back to."""
        raise NotImplementedError

    def dispatch_request(self, argument_id):
        argument = _argument(argument_id)
        form = self.form_class()
        return _form_page(
            form,
            self.template,
            self.field,
            lambda: self.act(argument, form),
            str(self.success),
            idea=argument.idea,
            argument=argument,
        )


class Reply(_ArgumentFormPage):
    """Reply to an argument (once)."""

    form_class = ReplyForm
    template = "arguments/reply.html"
    success = _l("Thank you. Your reply has been posted.")

    def act(self, argument, form):
        return services.reply(argument, current_user, form.body.data)


bp.add_url_rule("/argumenten/<int:argument_id>/reageren", view_func=Reply.as_view("reply"))


@bp.route("/argumenten/<int:argument_id>/nuttig", methods=["POST"])
@login_required
def helpful(argument_id):
    """Mark an argument helpful, or take the mark back."""
    argument = _argument(argument_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    wanted = request.form.get("nuttig") != "0"
    try:
        services.set_helpful(argument, current_user, wanted)
    except services.ArgumentRefused as refusal:
        return refused(refusal, idea=argument.idea)
    db.session.commit()
    return _back(argument)


class Report(_ArgumentFormPage):
    """Report an argument to the moderator."""

    form_class = ReportForm
    template = "arguments/report.html"
    field = "reason"
    success = _l("Thank you. The moderator will look at this argument.")

    def act(self, argument, form):
        services.report(argument, current_user, form.reason.data, form.text.data or "")
        return argument


bp.add_url_rule("/argumenten/<int:argument_id>/melden", view_func=Report.as_view("report"))


# The side, and the public reason of a hidden argument.
add_label_globals(
    bp, argument_side_label=(SIDE_LABELS, None), argument_reason_label=(REASON_LABELS, None)
)


bp.add_app_template_global(can_moderate_arguments)
bp.add_app_template_global(can_moderate_argument)
