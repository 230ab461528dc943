"""The initiators' workspace: planning, bank account, milestones, updates, expenses, final report."""

from __future__ import annotations

from functools import wraps

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from buurtbegroting.accountability import bp, forms, queries, services
from buurtbegroting.accountability.labels import RECEIPT_MESSAGES
from buurtbegroting.accountability.receipts import RECEIPT_MAX_BYTES, InvalidReceipt, check_receipt
from buurtbegroting.accountability.views.common import (
    _back,
    _child,
    _funding,
    _owner_funding,
    _read_photos,
    _refused,
    _report_choices,
    _reporting_funding,
    _save,
    _workspace,
)
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.models import (
    Expense,
    Milestone,
    ProgressUpdate,
    ReportStatus,
)
from buurtbegroting.permissions import (
    can_report_on,
    can_see_private_accountability,
    can_view_idea,
    require,
)
from buurtbegroting.photos import commit as commit_files
from buurtbegroting.photos import thumb_name
from buurtbegroting.uploads import allows_uploads


@bp.route("/verantwoording/idee/<int:idea_id>")
@login_required
def workspace(idea_id):
    """The initiators' page: planning, bank account, milestones, updates, expenses, report."""
    funding = _owner_funding(idea_id)
    return _workspace(funding)


#: The workspace's forms that one service call saves, by view: the form, its name on the page,
#: the field for a refusal that names none, the section to go back to, the rule (beyond being an
#: initiator) for posting it.
_FORMS = {
    "planning": (forms.PlanningForm, "planning_form", "planned_end_on", "planning", can_report_on),
    "bank_account": (forms.BankAccountForm, "bank_form", "bank_account", "payout", None),
    "add_milestone": (forms.MilestoneForm, "milestone_form", "title", "milestones", can_report_on),
}


def _saves_form(save):
    """Make the view of a workspace form from ``save(funding, form)``, which returns what to say."""
    form_class, form_name, field, anchor, rule = _FORMS[save.__name__]

    @wraps(save)
    def view(idea_id):
        funding = _reporting_funding(idea_id)
        if rule is not None:
            require(rule(current_user, funding))
        form = form_class()
        return _submit(funding, form_name, form, lambda: save(funding, form), field, anchor)

    return view


@bp.route("/verantwoording/idee/<int:idea_id>/planning", methods=["POST"])
@login_required
@_saves_form
def planning(funding, form):
    """Set the planned end date (the report is due some weeks later)."""
    services.set_planned_end(funding, form.planned_end_on.data)
    return _("Saved.")


@bp.route("/verantwoording/idee/<int:idea_id>/rekening", methods=["POST"])
@login_required
@_saves_form
def bank_account(funding, form):
    """Store the bank account for the payout."""
    services.set_bank_account(funding, form.bank_account.data, current_user)
    return _("Your bank account has been saved.")


@bp.route("/verantwoording/idee/<int:idea_id>/status", methods=["POST"])
@login_required
def progress(idea_id):
    """Say that the work has started, or that it is done."""
    funding = _reporting_funding(idea_id)
    form = ConfirmForm()
    step = request.form.get("stap")
    if not form.validate_on_submit() or step not in ("gestart", "klaar"):
        abort(400)
    try:
        if step == "gestart":
            services.mark_started(funding, current_user)
        else:
            services.mark_completed(funding, current_user)
    except services.AccountabilityRefused as error:
        db.session.rollback()
        flash(str(error.messages[0]), "error")
        return _back(funding, "status")
    db.session.commit()
    flash(_("Saved."), "success")
    return _back(funding, "status")


@bp.route("/verantwoording/idee/<int:idea_id>/mijlpalen", methods=["POST"])
@login_required
@_saves_form
def add_milestone(funding, form):
    """Add a milestone."""
    services.add_milestone(funding, form.title.data, form.planned_on.data)
    return _("The milestone has been added.")


@bp.route("/verantwoording/idee/<int:idea_id>/mijlpalen/<int:milestone_id>", methods=["POST"])
@login_required
def milestone_done(idea_id, milestone_id):
    """Record when a milestone was done (an empty date: not done)."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    milestone = _child(Milestone, milestone_id, funding)
    form = forms.MilestoneDoneForm()
    if form.validate_on_submit():
        services.mark_milestone_done(milestone, form.done_on.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return _back(funding, "milestones")
    return _workspace(funding, 422, done_errors={milestone.id: form.done_on.errors})


@bp.route("/verantwoording/idee/<int:idea_id>/berichten", methods=["POST"])
@login_required
@allows_uploads
def add_update(idea_id):
    """Post a progress update with photos."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    form = forms.UpdateForm()
    if form.validate_on_submit():
        photos = _read_photos(form)
        if not form.photos.errors and _commit_with_files(
            form,
            lambda: services.add_update(funding, form.text.data, photos, current_user)[1],
            fallback="photos",
        ):
            flash(_("Your update has been posted."), "success")
            return _back(funding, "updates")
    return _workspace(funding, 422, update_form=form)


@bp.route("/verantwoording/idee/<int:idea_id>/uitgaven", methods=["POST"])
@login_required
@allows_uploads(limit="RECEIPT_FORM_MAX_CONTENT_LENGTH")
def add_expense(idea_id):
    """Add an expense with its receipt."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    form = forms.ExpenseForm()
    receipt = None
    valid = form.validate_on_submit()
    upload = request.files.get(form.receipt.name)
    if upload is None or not upload.filename:
        form.receipt.errors = [_("Add the receipt: a PDF, JPEG or PNG file.")]
    else:
        try:
            receipt = check_receipt(upload.stream.read(RECEIPT_MAX_BYTES + 1))
        except InvalidReceipt as error:
            form.receipt.errors = [str(RECEIPT_MESSAGES[error.code])]
    if (
        valid
        and receipt is not None
        and _commit_with_files(
            form,
            lambda: services.add_expense(
                funding,
                description=form.description.data,
                amount_cents=form.cents(),
                spent_on=form.spent_on.data,
                receipt=receipt,
            )[1],
            fallback="description",
        )
    ):
        flash(_("The expense has been added."), "success")
        return _back(funding, "expenses")
    return _workspace(funding, 422, expense_form=form)


@bp.route("/verantwoording/idee/<int:idea_id>/uitgaven/<int:expense_id>/bon")
@login_required
def receipt(idea_id, expense_id):
    """Serve a receipt to the initiators and the municipality only."""
    funding = _funding(idea_id)
    require(can_see_private_accountability(current_user, funding))
    expense = _child(Expense, expense_id, funding)
    if not expense.receipt_filename:
        abort(404)
    response = send_from_directory(
        services.receipt_folder(),
        expense.receipt_filename,
        mimetype=expense.receipt_mimetype,
        as_attachment=expense.receipt_mimetype == "application/pdf",
        download_name=f"bon-{expense.id}{expense.receipt_filename[-4:]}",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@bp.route("/verantwoording/idee/<int:idea_id>/eindverslag", methods=["GET", "POST"])
@login_required
@allows_uploads
def report(idea_id):
    """Write the final report, save it as a draft, or send it to the municipality."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    existing = funding.report
    if request.method == "POST":
        form = forms.ReportForm()
    else:
        form = forms.ReportForm(
            formdata=None,
            data={
                "text": existing.text if existing else "",
                "participants": str(existing.participants)
                if existing and existing.participants is not None
                else "",
            },
        )
    _report_choices(form, funding)
    if form.validate_on_submit():
        photos = _read_photos(form)
        saved = not form.photos.errors and _commit_with_files(
            form,
            lambda: services.save_report(
                funding,
                text=form.text.data,
                participants=form.participants_value(),
                new_photos=photos,
                remove_photo_ids=form.remove_photo_ids.data or [],
                actor=current_user,
                submit=bool(form.send.data),
            ),
            fallback="text",
        )
        if saved and form.send.data:
            flash(_("Thank you! Your report has been sent to the municipality."), "success")
            return _back(funding, "report")
        if saved:
            flash(_("Your report has been saved. Send it when it is ready."), "success")
            return redirect(url_for("accountability.report", idea_id=funding.idea_id))
    status = 422 if form.errors else 200
    return render_template(
        "accountability/report.html", form=form, funding=funding, idea=funding.idea
    ), status


@bp.route("/verantwoording/foto/<int:photo_id>")
def photo(photo_id):
    """Serve a photo of a progress update or a report (the small version with ?klein=1)."""
    found = queries.photo_with_funding(photo_id)
    if found is None:
        abort(404)
    photo, funding = found
    if not can_view_idea(current_user, funding.idea):
        abort(404)
    if photo.report_id is not None and funding.status != ReportStatus.APPROVED:
        # A report is public once approved; before that only its writers and the municipality see it.
        require(can_see_private_accountability(current_user, funding))
    name = thumb_name(photo.filename) if request.args.get("klein") else photo.filename
    response = send_from_directory(services.photo_folder(), name, max_age=3600)
    response.headers["Content-Disposition"] = "inline"
    return response


def _commit_with_files(form, act, *, fallback: str) -> bool:
    """Run ``act()``, which returns the file changes, and commit it with them; return True.

    A refusal of the service goes to the form (at the field it names, else at ``fallback``);
    then nothing is committed and the answer is False.
    """
    try:
        changes = act()
    except services.AccountabilityRefused as error:
        _refused(form, error, fallback)
        return False
    commit_files(changes)
    return True


def _submit(funding, form_name: str, form, save, field: str, anchor: str):
    """Save a workspace form, say what ``save()`` returns and go back; or show the errors."""
    return _save(
        form,
        save,
        field=field,
        back=lambda: _back(funding, anchor),
        page=lambda: _workspace(funding, 422, **{form_name: form}),
    )


#: What the initiators may remove, with the files it leaves: the thing (its view is
#: ``delete_<thing>``, its id ``<thing>_id``), the word in the URL, the model, the service and
#: the section of the workspace to go back to.
_REMOVABLE = (
    ("milestone", "mijlpalen", Milestone, services.delete_milestone, "milestones"),
    ("update", "berichten", ProgressUpdate, services.delete_update, "updates"),
    ("expense", "uitgaven", Expense, services.delete_expense, "expenses"),
)
_REMOVED = {
    Milestone: _l("The milestone has been removed."),
    ProgressUpdate: _l("The update has been removed."),
    Expense: _l("The expense has been removed."),
}


def _remover(model, delete, anchor: str):
    def remove(idea_id: int, **ids):
        """Remove a milestone, update or expense of the idea's funding (and its files)."""
        (child_id,) = ids.values()
        funding = _reporting_funding(idea_id)
        require(can_report_on(current_user, funding))
        child = _child(model, child_id, funding)
        if not ConfirmForm().validate_on_submit():
            abort(400)
        changes = delete(child)
        if changes is None:
            db.session.commit()
        else:
            commit_files(changes)
        flash(str(_REMOVED[model]), "success")
        return _back(funding, anchor)

    return login_required(remove)


def _add_removals() -> None:
    for thing, word, model, delete, anchor in _REMOVABLE:
        bp.add_url_rule(
            f"/verantwoording/idee/<int:idea_id>/{word}/<int:{thing}_id>/verwijderen",
            f"delete_{thing}",
            _remover(model, delete, anchor),
            methods=["POST"],
        )


_add_removals()
