"""What the accountability pages share: template labels and filters, loading a funding, photos."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import _
from flask_login import current_user
from wtforms import SelectChoice

from buurtbegroting.accountability import bp, iban, queries, services
from buurtbegroting.accountability.forms import (
    BankAccountForm,
    ExpenseForm,
    MilestoneDoneForm,
    MilestoneForm,
    PlanningForm,
    ReportForm,
    UpdateForm,
)
from buurtbegroting.accountability.labels import (
    REPORT_STATUS_LABELS,
    SOURCE_LABELS,
)
from buurtbegroting.accountability.sections import Section
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.models import (
    Funding,
    FundingSource,
    ReportStatus,
)
from buurtbegroting.permissions import (
    can_manage_funding,
    can_report_on,
    is_idea_owner,
    require,
)
from buurtbegroting.photos import read_photos
from buurtbegroting.rendering import idea_or_404
from buurtbegroting.templating import add_label_globals

add_label_globals(
    bp,
    report_status_label=(REPORT_STATUS_LABELS, ReportStatus),
    funding_source_label=(SOURCE_LABELS, FundingSource),
)


@bp.app_template_filter("masked_iban")
def masked_iban_filter(value) -> str:
    """Show an IBAN with only its country and last four characters."""
    return iban.masked(value)


@bp.app_template_filter("iban")
def iban_filter(value) -> str:
    """Show an IBAN in groups of four."""
    return iban.formatted(value) if value else ""


def _funding(idea_id: int) -> Funding:
    funding = queries.load_funding(idea_or_404(idea_id))
    if funding is None:
        abort(404)
    return funding


def _owner_funding(idea_id: int) -> Funding:
    funding = _funding(idea_id)
    require(is_idea_owner(current_user, funding.idea) or can_manage_funding(current_user, funding))
    return funding


def _reporting_funding(idea_id: int) -> Funding:
    funding = _funding(idea_id)
    require(is_idea_owner(current_user, funding.idea))
    return funding


def _child(model, child_id: int, funding: Funding):
    obj = db.session.get(model, child_id)
    if obj is None or obj.funding_id != funding.id:
        abort(404)
    return obj


def _back(funding: Funding, anchor: str = ""):
    return redirect(
        url_for("accountability.workspace", idea_id=funding.idea_id)
        + (f"#{anchor}" if anchor else "")
    )


def _report_choices(form: ReportForm, funding: Funding) -> None:
    photos = funding.report.photos if funding.report else []
    form.remove_photo_ids.choices = [SelectChoice(p.id, str(i + 1)) for i, p in enumerate(photos)]


def _workspace(funding: Funding, status: int = 200, **forms):
    defaults = {
        "planning_form": lambda: PlanningForm(
            formdata=None, data={"planned_end_on": funding.planned_end_on}
        ),
        "bank_form": lambda: BankAccountForm(formdata=None),
        "milestone_form": lambda: MilestoneForm(formdata=None),
        "update_form": lambda: UpdateForm(formdata=None),
        "expense_form": lambda: ExpenseForm(formdata=None),
    }
    for name, make in defaults.items():
        forms.setdefault(name, make())
    return render_template(
        "accountability/workspace.html",
        section=Section(funding, current_user),
        funding=funding,
        idea=funding.idea,
        confirm=ConfirmForm(formdata=None),
        done_form=MilestoneDoneForm(formdata=None),
        can_report=can_report_on(current_user, funding),
        **forms,
    ), status


def _refused(form, error: services.AccountabilityRefused, fallback: str):
    db.session.rollback()
    field = getattr(form, error.field or fallback, None) or getattr(form, fallback)
    field.errors = list(field.errors or []) + [str(m) for m in error.messages]


def _save(form, save, *, field: str, back, page, message=None):
    """Run ``save()`` for a valid form, commit, say ``message`` and go ``back()``.

    A refusal of the service goes to the form (at the field it names, else at ``field``);
    with errors the page is shown again by ``page()``.

    :param message: what to say; without it, what ``save()`` returns.
    """
    if form.validate_on_submit():
        try:
            said = save()
        except services.AccountabilityRefused as error:
            _refused(form, error, field)
        else:
            db.session.commit()
            flash(str(message if message is not None else said), "success")
            return back()
    return page()


def _read_photos(form) -> list:
    """Check the uploaded photos; errors go to the form's photos field."""
    processed, errors = read_photos(form.photos.name)
    if len(processed) + len(errors) > current_app.config["PHOTO_MAX_COUNT"]:
        errors.append(
            _("You can add at most %(num)d photos.", num=current_app.config["PHOTO_MAX_COUNT"])
        )
    form.photos.errors = list(form.photos.errors or []) + errors
    return processed
