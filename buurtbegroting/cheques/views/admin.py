"""The campaigns' administration under /beheer/cheques (guarded once)."""

from __future__ import annotations

import io

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _
from flask_login import current_user

from buurtbegroting import csvfile, jobs, printing
from buurtbegroting.cheques import admin_bp, export, rules, services
from buurtbegroting.cheques.forms import (
    CampaignForm,
    ExtendForm,
    VoidForm,
)
from buurtbegroting.cheques.labels import count_file_message
from buurtbegroting.cheques.views.setup import COORDINATOR_ENDPOINTS
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm, area_choices
from buurtbegroting.models import ChequeCampaign, Idea
from buurtbegroting.permissions import (
    can_extend_target_date,
    can_list_cheque_initiatives,
    can_manage_cheque_campaigns,
    guard_blueprint,
    require,
)
from buurtbegroting.rendering import commit_unless_refused

guard_blueprint(
    admin_bp,
    can_manage_cheque_campaigns,
    dict.fromkeys(COORDINATOR_ENDPOINTS, can_list_cheque_initiatives),
)


@admin_bp.route("/")
def index():
    """List the campaigns."""
    items = services.campaigns()
    return render_template(
        "cheques/admin/index.html",
        campaigns=items,
        counts=services.status_counts_of([c.id for c in items]),
    )


def _campaign_form(form: CampaignForm) -> None:
    form.area_ids.choices = area_choices(services.scope_choices(), key=int)


@admin_bp.route("/nieuw", methods=["GET", "POST"])
def new():
    """Create a campaign."""
    form = CampaignForm()
    _campaign_form(form)
    if request.method == "GET":
        form.starts_on.data, form.ends_on.data = services.default_dates()
    file_errors: list[str] = []
    if form.validate_on_submit():
        counts = None
        if form.count_mode.data == "addresses":
            upload = form.counts_file.data
            if not upload or not getattr(upload, "filename", ""):
                file_errors.append(_("Choose the file with addresses per neighbourhood."))
            else:
                try:
                    counts = rules.read_address_counts(upload.read(2_000_000))
                except rules.InvalidCountFile as error:
                    file_errors += [count_file_message(*row) for row in error.rows[:20]]
        if not file_errors:
            try:
                campaign = services.create_campaign(
                    current_user,
                    name=form.name.data,
                    value_cents=form.value_cents(),
                    starts_on=form.starts_on.data,
                    ends_on=form.ends_on.data,
                    area_ids=form.area_ids.data if form.scope.data == "areas" else [],
                    cheque_count=form.count() if counts is None else None,
                    address_counts=counts,
                )
            except services.ChequeRefused as refused:
                db.session.rollback()
                file_errors += [str(m) for m in refused.messages]
            else:
                db.session.commit()
                flash(_("The campaign has been created."), "success")
                return redirect(url_for("cheques.admin.show", campaign_id=campaign.id))
        form.counts_file.errors = file_errors
    return render_template("cheques/admin/new.html", form=form, file_errors=file_errors), 422 if (
        form.errors or file_errors
    ) else 200


def _campaign_page(campaign, void_form=None, status=200, errors=()):
    slots = services.open_slots(campaign)
    return render_template(
        "cheques/admin/show.html",
        campaign=campaign,
        counts=services.status_counts(campaign),
        address_counts=services.address_counts(campaign),
        open_count=sum(n for _a, n in slots),
        web_max=current_app.config["CHEQUE_WEB_MAX"],
        generate_form=ConfirmForm(formdata=None),
        void_form=void_form or VoidForm(formdata=None),
        errors=errors,
    ), status


@admin_bp.route("/<int:campaign_id>")
def show(campaign_id):
    """Show a campaign: settings, cheques made and used, making codes, voiding."""
    return _campaign_page(db.get_or_404(ChequeCampaign, campaign_id))


#: How the cheques are downloaded: PDF sheets for a print shop, or HTML sheets (as before).
OUTPUTS = ("pdf", "html")


@admin_bp.route("/<int:campaign_id>/codes", methods=["POST"])
def generate(campaign_id):
    """Start the job that makes the open cheques: a ZIP with the CSV and print sheets, once."""
    campaign = db.get_or_404(ChequeCampaign, campaign_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    output = request.form.get("uitvoer", "html")
    if output not in OUTPUTS:
        return _campaign_page(campaign, status=422, errors=[_("Choose a format from the list.")])
    if output == "pdf":
        try:
            # The letterhead and words are checked now, so the job does not fail on them.
            printing.cheque_settings(campaign, current_app.config)
        except printing.PrintRefused as refused:
            return _campaign_page(campaign, status=422, errors=[str(refused.message)])
    open_count = sum(n for _a, n in services.open_slots(campaign))
    web_max = current_app.config["CHEQUE_WEB_MAX"]
    if open_count > web_max:
        return _campaign_page(
            campaign,
            status=422,
            errors=[
                _(
                    "More than %(num)d cheques: make them with the command flask cheques generate.",
                    num=web_max,
                )
            ],
        )
    if not open_count:
        return _campaign_page(
            campaign,
            status=422,
            errors=[
                _(
                    "Every cheque of this campaign has been made. Void lost cheques to make them again."
                )
            ],
        )
    # A job makes them (jobs/kinds/cheques.py); its page shows the progress and the ZIP.
    job = jobs.start_job("cheques", {"campaign_id": campaign.id, "output": output}, current_user)
    return redirect(url_for("jobs.show", job_id=job.id), 303)


@admin_bp.route("/<int:campaign_id>/vervallen", methods=["POST"])
def void(campaign_id):
    """Make every unused cheque void, so that they can be made again."""
    campaign = db.get_or_404(ChequeCampaign, campaign_id)
    form = VoidForm()
    if not form.validate_on_submit():
        return _campaign_page(campaign, void_form=form, status=422)
    count = services.void_unused(campaign, current_user, form.reason.data)
    db.session.commit()
    flash(_("Unused cheques made void: %(num)d.", num=count), "success")
    return redirect(url_for("cheques.admin.show", campaign_id=campaign.id))


@admin_bp.route("/<int:campaign_id>/statistieken")
def stats(campaign_id):
    """Show cheques made and used per neighbourhood, and euros per initiative."""
    campaign = db.get_or_404(ChequeCampaign, campaign_id)
    return render_template("cheques/admin/stats.html", stats=services.campaign_stats(campaign))


@admin_bp.route("/<int:campaign_id>/statistieken.csv")
def stats_csv(campaign_id):
    """Download the statistics as CSV."""
    campaign = db.get_or_404(ChequeCampaign, campaign_id)
    stats = services.campaign_stats(campaign)
    buffer = io.StringIO()
    writer = csvfile.writer(buffer)
    writer.writerow(
        ["kind", "code", "name", "issued", "redeemed", "share_percent", "euros", "status"]
    )
    for row in stats.areas:
        writer.writerow(
            [
                "neighbourhood",
                row.code,
                row.name,
                row.issued,
                row.redeemed,
                f"{row.share:.1f}",
                f"{row.redeemed * campaign.value_cents / 100:.2f}",
                "",
            ]
        )
    for row in stats.ideas:
        writer.writerow(
            [
                "initiative",
                row.idea.id,
                row.idea.title,
                "",
                row.cheques,
                "",
                f"{row.cents / 100:.2f}",
                row.idea.status.value,
            ]
        )
    response = Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export.file_name(campaign)}-statistieken.csv"'
    )
    return response


@admin_bp.route("/initiatieven")
def initiatives():
    """List the collecting initiatives in the user's areas, with the form to extend the date."""
    ideas = services.initiatives_for(current_user)
    return render_template(
        "cheques/admin/initiatives.html",
        ideas=ideas,
        progress=services.progress_of(ideas),
        form=ExtendForm(formdata=None),
    )


@admin_bp.route("/initiatieven/<int:idea_id>/verlengen", methods=["POST"])
def extend(idea_id):
    """Extend the target date of an initiative, once."""
    idea = db.get_or_404(Idea, idea_id)
    require(can_extend_target_date(current_user, idea))
    form = ExtendForm()
    if form.validate_on_submit():
        commit_unless_refused(
            lambda: services.extend_target_date(idea, current_user, form.new_date.data),
            services.ChequeRefused,
            _("The target date has been extended."),
        )
    else:
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
    return redirect(url_for("cheques.admin.initiatives"))
