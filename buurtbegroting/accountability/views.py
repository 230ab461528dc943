"""Accountability: the initiators' workspace, public overviews, the dashboard, the municipality's pages."""

from __future__ import annotations

import csv
import io
from datetime import date

import click
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from buurtbegroting.accountability import iban, queries, services
from buurtbegroting.accountability.forms import (
    BankAccountForm,
    ConfirmForm,
    ExpenseForm,
    MilestoneDoneForm,
    MilestoneForm,
    OverviewFilterForm,
    PayoutForm,
    PlanningForm,
    ReportForm,
    ReturnForm,
    ReviewForm,
    UpdateForm,
)
from buurtbegroting.accountability.labels import (
    RECEIPT_MESSAGES,
    REPORT_STATUS_LABELS,
    SOURCE_LABELS,
)
from buurtbegroting.accountability.receipts import RECEIPT_MAX_BYTES, InvalidReceipt, check_receipt
from buurtbegroting.accountability.sections import Section
from buurtbegroting.extensions import db
from buurtbegroting.ideas.labels import PHOTO_MESSAGES, STATUS_LABELS
from buurtbegroting.ideas.services import thumb_name
from buurtbegroting.images import InvalidImage, process_photo
from buurtbegroting.models import (
    Area,
    Expense,
    Funding,
    Idea,
    Milestone,
    ProgressUpdate,
    ReportStatus,
    Spearhead,
)
from buurtbegroting.permissions import (
    can_manage_accountability,
    can_manage_funding,
    can_report_on,
    can_see_private_accountability,
    can_view_idea,
    is_idea_owner,
    managed_area_ids,
    require,
)
from buurtbegroting.uploads import allows_uploads

bp = Blueprint("accountability", __name__, cli_group="accountability")
manage = Blueprint("manage", __name__)


# --- template helpers ------------------------------------------------------------------------


@bp.app_template_global()
def report_status_label(status) -> str:
    """Return the translated label of an accountability status."""
    return str(REPORT_STATUS_LABELS[ReportStatus(status)])


@bp.app_template_global()
def funding_source_label(source) -> str:
    """Return the translated label of where the money came from."""
    from buurtbegroting.models import FundingSource

    return str(SOURCE_LABELS[FundingSource(source)])


@bp.app_template_filter("masked_iban")
def masked_iban_filter(value) -> str:
    """Show an IBAN with only its country and last four characters."""
    return iban.masked(value)


@bp.app_template_filter("iban")
def iban_filter(value) -> str:
    """Show an IBAN in groups of four."""
    return iban.formatted(value) if value else ""


# --- loading ---------------------------------------------------------------------------------


def _funding(idea_id: int) -> Funding:
    idea = db.get_or_404(Idea, idea_id)
    if not can_view_idea(current_user, idea):
        abort(404)
    funding = queries.load_funding(idea)
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


def _read_photos(form) -> list:
    """Check the uploaded photos; errors go to the form's photos field."""
    processed, errors = [], []
    max_bytes = current_app.config["PHOTO_MAX_BYTES"]
    for upload in request.files.getlist(form.photos.name):
        if not upload or not upload.filename:
            continue
        try:
            processed.append(process_photo(upload.stream.read(max_bytes + 1), max_bytes))
        except InvalidImage as error:
            errors.append(f"{upload.filename}: {PHOTO_MESSAGES[error.code]}")
    if len(processed) + len(errors) > current_app.config["PHOTO_MAX_COUNT"]:
        errors.append(
            _("You can add at most %(num)d photos.", num=current_app.config["PHOTO_MAX_COUNT"])
        )
    form.photos.errors = list(form.photos.errors or []) + errors
    return processed


def _commit(changes) -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        changes.discard_written()
        raise
    changes.delete_replaced()


# --- the initiators' workspace -----------------------------------------------------------


@bp.route("/verantwoording/idee/<int:idea_id>")
@login_required
def workspace(idea_id):
    """The initiators' page: planning, bank account, milestones, updates, expenses, report."""
    funding = _owner_funding(idea_id)
    return _workspace(funding)


@bp.route("/verantwoording/idee/<int:idea_id>/planning", methods=["POST"])
@login_required
def planning(idea_id):
    """Set the planned end date (the report is due some weeks later)."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    form = PlanningForm()
    if form.validate_on_submit():
        try:
            services.set_planned_end(funding, form.planned_end_on.data)
        except services.AccountabilityRefused as error:
            _refused(form, error, "planned_end_on")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return _back(funding, "planning")
    return _workspace(funding, 422, planning_form=form)


@bp.route("/verantwoording/idee/<int:idea_id>/rekening", methods=["POST"])
@login_required
def bank_account(idea_id):
    """Store the bank account for the payout."""
    funding = _reporting_funding(idea_id)
    form = BankAccountForm()
    if form.validate_on_submit():
        try:
            services.set_bank_account(funding, form.bank_account.data, current_user)
        except services.AccountabilityRefused as error:
            _refused(form, error, "bank_account")
        else:
            db.session.commit()
            flash(_("Your bank account has been saved."), "success")
            return _back(funding, "payout")
    return _workspace(funding, 422, bank_form=form)


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
def add_milestone(idea_id):
    """Add a milestone."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    form = MilestoneForm()
    if form.validate_on_submit():
        services.add_milestone(funding, form.title.data, form.planned_on.data)
        db.session.commit()
        flash(_("The milestone has been added."), "success")
        return _back(funding, "milestones")
    return _workspace(funding, 422, milestone_form=form)


@bp.route("/verantwoording/idee/<int:idea_id>/mijlpalen/<int:milestone_id>", methods=["POST"])
@login_required
def milestone_done(idea_id, milestone_id):
    """Record when a milestone was done (an empty date: not done)."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    milestone = _child(Milestone, milestone_id, funding)
    form = MilestoneDoneForm()
    if form.validate_on_submit():
        services.mark_milestone_done(milestone, form.done_on.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return _back(funding, "milestones")
    return _workspace(funding, 422, done_errors={milestone.id: form.done_on.errors})


@bp.route(
    "/verantwoording/idee/<int:idea_id>/mijlpalen/<int:milestone_id>/verwijderen", methods=["POST"]
)
@login_required
def delete_milestone(idea_id, milestone_id):
    """Remove a milestone."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    milestone = _child(Milestone, milestone_id, funding)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_milestone(milestone)
    db.session.commit()
    flash(_("The milestone has been removed."), "success")
    return _back(funding, "milestones")


@bp.route("/verantwoording/idee/<int:idea_id>/berichten", methods=["POST"])
@login_required
@allows_uploads
def add_update(idea_id):
    """Post a progress update with photos."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    form = UpdateForm()
    if form.validate_on_submit():
        photos = _read_photos(form)
        if not form.photos.errors:
            try:
                _update, changes = services.add_update(
                    funding, form.text.data, photos, current_user
                )
            except services.AccountabilityRefused as error:
                _refused(form, error, "photos")
            else:
                _commit(changes)
                flash(_("Your update has been posted."), "success")
                return _back(funding, "updates")
    return _workspace(funding, 422, update_form=form)


@bp.route(
    "/verantwoording/idee/<int:idea_id>/berichten/<int:update_id>/verwijderen", methods=["POST"]
)
@login_required
def delete_update(idea_id, update_id):
    """Remove a progress update and its photos."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    update = _child(ProgressUpdate, update_id, funding)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    changes = services.delete_update(update)
    _commit(changes)
    flash(_("The update has been removed."), "success")
    return _back(funding, "updates")


@bp.route("/verantwoording/idee/<int:idea_id>/uitgaven", methods=["POST"])
@login_required
@allows_uploads
def add_expense(idea_id):
    """Add an expense with its receipt."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    form = ExpenseForm()
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
    if valid and receipt is not None:
        try:
            _expense, changes = services.add_expense(
                funding,
                description=form.description.data,
                amount_cents=form.cents(),
                spent_on=form.spent_on.data,
                receipt=receipt,
            )
        except services.AccountabilityRefused as error:
            _refused(form, error, "description")
        else:
            _commit(changes)
            flash(_("The expense has been added."), "success")
            return _back(funding, "expenses")
    return _workspace(funding, 422, expense_form=form)


@bp.route(
    "/verantwoording/idee/<int:idea_id>/uitgaven/<int:expense_id>/verwijderen", methods=["POST"]
)
@login_required
def delete_expense(idea_id, expense_id):
    """Remove an expense and its receipt."""
    funding = _reporting_funding(idea_id)
    require(can_report_on(current_user, funding))
    expense = _child(Expense, expense_id, funding)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    changes = services.delete_expense(expense)
    _commit(changes)
    flash(_("The expense has been removed."), "success")
    return _back(funding, "expenses")


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
        form = ReportForm()
    else:
        form = ReportForm(
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
        if not form.photos.errors:
            try:
                changes = services.save_report(
                    funding,
                    text=form.text.data,
                    participants=form.participants_value(),
                    new_photos=photos,
                    remove_photo_ids=form.remove_photo_ids.data or [],
                    actor=current_user,
                    submit=bool(form.send.data),
                )
            except services.AccountabilityRefused as error:
                _refused(form, error, "text")
            else:
                _commit(changes)
                if form.send.data:
                    flash(_("Thank you! Your report has been sent to the municipality."), "success")
                    return _back(funding, "report")
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


# --- public overviews ------------------------------------------------------------------------


def _overview(rows, *, title, area=None, spearhead=None, form=None):
    districts: dict[str, list] = {}
    for row in rows:
        district = row.idea.area
        while district.parent is not None and district.level.value == "neighbourhood":
            district = district.parent
        districts.setdefault(district.name, []).append(row)
    return render_template(
        "accountability/overview.html",
        rows=rows,
        groups=sorted(districts.items()),
        title=title,
        area=area,
        spearhead=spearhead,
        form=form,
        funded=sum(r.funding.amount_cents for r in rows),
        spent=sum(r.spent_cents for r in rows),
    )


@bp.route("/verantwoording")
def overview():
    """Funded ideas with their progress, budget against spent and status; filter by area or spearhead."""
    form = OverviewFilterForm(request.args)
    areas = queries.filter_areas()
    form.gebied.choices = [SelectChoice(0, _("All areas"))] + [
        SelectChoice(a.id, a.name if a.level.value == "district" else f"— {a.name}") for a in areas
    ]
    from buurtbegroting.ideas.services import filter_spearheads

    spearheads = filter_spearheads()
    form.speerpunt.choices = [SelectChoice(0, _("All spearheads"))] + [
        SelectChoice(s.id, f"{s.title} ({s.plan.area.name})") for s in spearheads
    ]
    form.validate()
    area_id = form.gebied.data if form.gebied.data in {a.id for a in areas} else None
    spearhead_id = (
        form.speerpunt.data if form.speerpunt.data in {s.id for s in spearheads} else None
    )
    rows = queries.funding_rows(
        area_ids=queries.descendants(area_id) if area_id else None, spearhead_id=spearhead_id
    )
    return _overview(rows, title=_("What happened with the money"), form=form)


@bp.route("/verantwoording/gebied/<code>")
def area_overview(code):
    """Funded ideas of one area (and the areas in it)."""
    area = db.session.scalar(select(Area).where(Area.code == code.upper()))
    if area is None:
        abort(404)
    rows = queries.funding_rows(area_ids=queries.descendants(area.id))
    return _overview(rows, title=_("Funded ideas in %(name)s", name=area.name), area=area)


@bp.route("/verantwoording/speerpunt/<int:spearhead_id>")
def spearhead_overview(spearhead_id):
    """Funded ideas that serve one spearhead."""
    spearhead = db.get_or_404(Spearhead, spearhead_id)
    rows = queries.funding_rows(spearhead_id=spearhead.id)
    return _overview(
        rows, title=_("Funded ideas for %(title)s", title=spearhead.title), spearhead=spearhead
    )


# --- the dashboard and its CSV files ---------------------------------------------------------


def _dashboard():
    return queries.dashboard(own_theme_label=_("Own theme (no spearhead)"))


@bp.route("/dashboard")
def dashboard():
    """The municipal dashboard: money per spearhead and per area, ideas per status, participation."""
    return render_template("accountability/dashboard.html", d=_dashboard())


def _euros(cents: int) -> str:
    """Write cents for Dutch spreadsheets: 1250,50 (no thousands separator)."""
    return f"{cents // 100},{cents % 100:02d}"


def _csv_tables():
    d = _dashboard()
    money_head = [_("Ideas"), _("Funded (euro)"), _("Spent (euro)")]
    return {
        "speerpunten": (
            [_("Spearhead"), _("Area plan of")] + money_head,
            [
                [r.label, r.detail, r.ideas, _euros(r.funded_cents), _euros(r.spent_cents)]
                for r in d.by_spearhead
            ],
        ),
        "gebieden": (
            [_("Area"), _("CBS code")] + money_head,
            [
                [r.label, r.detail, r.ideas, _euros(r.funded_cents), _euros(r.spent_cents)]
                for r in d.by_area
            ],
        ),
        "statussen": (
            [_("Status"), _("Ideas")],
            [[str(STATUS_LABELS[s]), n] for s, n in d.by_status],
        ),
        "deelname": (
            [_("Figure"), _("Number")],
            [
                [_("Ballots cast"), d.ballots],
                [_("Cheques redeemed"), d.cheques_redeemed],
                [_("Supports for ideas"), d.supports],
            ],
        ),
        "verantwoording": None,
    }


def _accountability_table():
    rows = queries.funding_rows()
    return (
        [
            _("Idea number"),
            _("Idea"),
            _("Area"),
            _("Status"),
            _("Funded (euro)"),
            _("Spent (euro)"),
            _("Returned (euro)"),
            _("Milestones done"),
            _("Milestones"),
            _("Report due"),
        ],
        [
            [
                r.idea.id,
                r.idea.title,
                r.idea.area.name,
                str(REPORT_STATUS_LABELS[r.funding.status]),
                _euros(r.funding.amount_cents),
                _euros(r.spent_cents),
                _euros(r.funding.returned_cents),
                r.milestones_done,
                r.milestones_total,
                r.funding.report_due_on.isoformat() if r.funding.report_due_on else "",
            ]
            for r in rows
        ],
    )


#: The CSV files of the dashboard.
CSV_TABLES = ("speerpunten", "gebieden", "statussen", "deelname", "verantwoording")


def _cell(value) -> str:
    """Return a cell; text that a spreadsheet would run as a formula gets a leading quote."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not isinstance(value, int):
        return "'" + text
    return text


@bp.route("/dashboard/<name>.csv")
def dashboard_csv(name):
    """Download a table of the dashboard as CSV for Dutch spreadsheets (UTF-8 with BOM, semicolons)."""
    if name not in CSV_TABLES:
        abort(404)
    head, rows = _accountability_table() if name == "verantwoording" else _csv_tables()[name]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(h) for h in head])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- the municipality ------------------------------------------------------------------------


@manage.before_request
def guard():
    """Send anonymous visitors to the login page; refuse everyone but coordinators and administrators."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    require(can_manage_accountability(current_user))
    return None


@manage.route("/")
def index():
    """The funded ideas of the coordinator's areas; late reports first and highlighted."""
    rows = queries.coordinator_rows(managed_area_ids(current_user))
    return render_template("accountability/manage_index.html", rows=rows)


def _managed(idea_id: int) -> Funding:
    funding = _funding(idea_id)
    require(can_manage_funding(current_user, funding))
    return funding


def _manage_page(funding: Funding, status: int = 200, **forms):
    forms.setdefault(
        "payout_form",
        PayoutForm(
            formdata=None,
            data={
                "amount": _euros(funding.payout_cents or funding.amount_cents),
                "paid_on": funding.payout_on,
                "reference": funding.payout_reference or "",
            },
        ),
    )
    forms.setdefault(
        "return_form", ReturnForm(formdata=None, data={"amount": _euros(funding.returned_cents)})
    )
    forms.setdefault("review_form", ReviewForm(formdata=None))
    return render_template(
        "accountability/manage_show.html",
        section=Section(funding, current_user),
        funding=funding,
        idea=funding.idea,
        **forms,
    ), status


@manage.route("/<int:idea_id>")
def show(idea_id):
    """Everything about one funded idea, with the payout, return and review forms."""
    return _manage_page(_managed(idea_id))


@manage.route("/<int:idea_id>/uitbetaling", methods=["POST"])
def payout(idea_id):
    """Record the payout."""
    funding = _managed(idea_id)
    form = PayoutForm()
    if form.validate_on_submit():
        try:
            services.record_payout(
                funding,
                amount_cents=form.cents(),
                paid_on=form.paid_on.data,
                reference=form.reference.data,
                actor=current_user,
            )
        except services.AccountabilityRefused as error:
            _refused(form, error, "amount")
        else:
            db.session.commit()
            flash(_("The payout has been saved."), "success")
            return redirect(url_for("accountability.manage.show", idea_id=idea_id))
    return _manage_page(funding, 422, payout_form=form)


@manage.route("/<int:idea_id>/terugbetaling", methods=["POST"])
def returned(idea_id):
    """Record the money paid back."""
    funding = _managed(idea_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            services.record_return(funding, amount_cents=form.cents(), actor=current_user)
        except services.AccountabilityRefused as error:
            _refused(form, error, "amount")
        else:
            db.session.commit()
            flash(_("The amount returned has been saved."), "success")
            return redirect(url_for("accountability.manage.show", idea_id=idea_id))
    return _manage_page(funding, 422, return_form=form)


@manage.route("/<int:idea_id>/beoordeling", methods=["POST"])
def review(idea_id):
    """Approve the final report, or ask the initiators for changes."""
    funding = _managed(idea_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "approve":
                services.approve_report(funding, current_user, form.message.data or "")
            else:
                services.request_changes(funding, current_user, form.message.data or "")
        except services.AccountabilityRefused as error:
            _refused(form, error, "decision")
        else:
            db.session.commit()
            flash(
                _("The report has been approved.")
                if form.decision.data == "approve"
                else _("The initiators have been asked to change the report."),
                "success",
            )
            return redirect(url_for("accountability.manage.show", idea_id=idea_id))
    return _manage_page(funding, 422, review_form=form)


bp.register_blueprint(manage, url_prefix="/beheer/verantwoording")


# --- the reminder command --------------------------------------------------------------------


@bp.cli.command("remind")
@click.option("--today", default=None, help="Pretend it is this day (YYYY-MM-DD), for tests.")
def remind(today):
    """E-mail initiators whose report is due within 7 days or late; once per stage, safe to run twice."""
    day = date.fromisoformat(today) if today else date.today()
    counts = {"due_soon": 0, "overdue": 0}
    skipped = 0
    for funding, stage in services.due_reminders(day):
        if services.send_reminder(funding, stage, day):
            counts[stage] += 1
        else:
            skipped += 1
        # One commit per reminder: a mail sent is recorded at once.
        db.session.commit()
    click.echo(
        f"Reminders sent: {counts['due_soon']} due soon, {counts['overdue']} overdue"
        f" ({skipped} already sent)."
    )
