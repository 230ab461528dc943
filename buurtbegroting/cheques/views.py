"""Cheques: redeem codes for an initiative, organise an initiative, and the campaigns' administration.

Public pages live under /cheques/..., the owner's page under /ideeen/<id>/cheques, and
the administration under /beheer/cheques/... (a nested blueprint with its own guard).
"""

from __future__ import annotations

import csv
import io
import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import _, format_date
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from buurtbegroting.cheques import export, rules, services
from buurtbegroting.cheques.forms import (
    ButtonForm,
    CampaignForm,
    ConfirmOrganiserForm,
    ExtendForm,
    InviteForm,
    RedeemForm,
    SetupForm,
    VoidForm,
)
from buurtbegroting.cheques.labels import IDEA_MESSAGES, code_message, count_file_message
from buurtbegroting.domain.money import format_cents_plain
from buurtbegroting.extensions import db, limiter
from buurtbegroting.ideas.forms import int_or_none
from buurtbegroting.models import ChequeCampaign, Idea
from buurtbegroting.permissions import (
    can_extend_target_date,
    can_list_cheque_initiatives,
    can_manage_cheque_campaigns,
    can_organise_cheques,
    can_view_idea,
    is_idea_owner,
    require,
)
from buurtbegroting.templating import format_cents
from buurtbegroting.urls import external_url

bp = Blueprint("cheques", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/beheer/cheques")

#: Administration pages that coordinators may open too.
COORDINATOR_ENDPOINTS = {"cheques.admin.initiatives", "cheques.admin.extend"}


def _client_key() -> str:
    return get_remote_address() or "unknown"


def _unprocessable(form) -> int:
    return 422 if form.errors else 200


# --- redeeming ---------------------------------------------------------------------------------


def _area_choices(form: RedeemForm) -> None:
    form.area_id.choices = [SelectChoice(0, _("All areas"))] + [
        SelectChoice(a.id, a.name if a.level == "district" else f"— {a.name}")
        for a in services.scope_choices()
    ]


def _set_codes(form: RedeemForm, codes: list[str], extra: int = 0) -> None:
    """Put codes in the fields (plus ``extra`` empty ones), clearing the pasted list."""
    while len(form.codes):
        form.codes.pop_entry()
    for code in codes:
        form.codes.append_entry(code)
    for _unused in range(extra):
        if len(form.codes) < form.codes.max_entries:
            form.codes.append_entry("")
    if not len(form.codes):
        form.codes.append_entry("")
    form.paste.data = ""


def _render(stage: str, form: RedeemForm, status: int = 200, **context):
    return render_template(
        "cheques/redeem.html", stage=stage, form=form, code_message=code_message, **context
    ), status


def _collecting(idea: Idea | None) -> bool:
    return idea is not None and not rules.idea_problem(
        services.idea_facts(idea), services.local_today()
    )


def _own_area_ids(results) -> list[int]:
    ids = []
    if current_user.is_authenticated and current_user.area_id:
        ids.append(current_user.area_id)
    from buurtbegroting.models import Cheque

    cheque_ids = [r.cheque_id for r in results if r.cheque_id]
    if cheque_ids:
        ids += [
            i
            for i in db.session.scalars(
                select(Cheque.area_id).where(Cheque.id.in_(cheque_ids)).distinct()
            )
            if i
        ]
    return ids


@bp.route("/cheques/inwisselen", methods=["GET", "POST"])
def redeem():
    """Give cheques to an initiative: codes (typed, scanned or pasted), the initiative, confirm."""
    form = RedeemForm()
    _area_choices(form)
    if request.method == "GET":
        _set_codes(form, [request.args.get("code", "")[:40]])
        preset = int_or_none(request.args.get("idee"))
        idea = db.session.get(Idea, preset) if preset else None
        if idea is not None and can_view_idea(current_user, idea):
            form.idea_id.data = idea.id
        else:
            idea = None
        return _render("codes", form, idea=idea if _collecting(idea) else None)
    if not form.validate():
        return _render("codes", form, 422)
    action = request.form.get("actie", "verder")
    idea = db.session.get(Idea, form.idea_id.data) if form.idea_id.data else None
    if action == "meer":
        typed = form.typed_codes()
        _set_codes(form, typed, extra=1)
        return _render("codes", form, focus=len(form.codes) - 1, idea=idea)
    if action == "terug":
        typed = form.typed_codes() + [f.data for f in form.refused if f.data]
        _set_codes(form, typed, extra=1)
        return _render("codes", form, idea=idea)
    typed = form.typed_codes()
    if not typed:
        form.codes[0].errors = [_("Enter the code of at least one cheque.")]
        return _render("codes", form, 422, idea=idea)
    if action == "wissel":
        idea, form.idea_id.data = None, None
    if action == "bevestig":
        return _give(form, typed, idea)
    results, blocked = services.check_codes(
        typed,
        client_key=_client_key(),
        today=services.local_today(),
        idea=idea if _collecting(idea) else None,
    )
    good = [r for r in results if r.status == "ok"]
    refused = [r for r in results if r.status != "ok"]
    if not good:
        _set_codes(form, [r.typed for r in results])
        for field, result in zip(form.codes, results, strict=False):
            field.errors = [code_message(result)]
        return _render("codes", form, 429 if blocked else 422, results=results, idea=idea)
    _set_codes(form, [r.shown for r in good])
    while len(form.refused):
        form.refused.pop_entry()
    for r in refused:
        form.refused.append_entry(r.typed)
    if action == "kies" and idea is None:
        return _choose(form, results, error=_("Choose an initiative."))
    if idea is not None:
        if _collecting(idea) and (action in ("kies", "verder")):
            return _render(
                "confirm",
                form,
                results=results,
                good=good,
                idea=idea,
                total=sum(r.value_cents for r in good),
            )
        if action == "kies" or action == "verder":
            problem = rules.idea_problem(services.idea_facts(idea), services.local_today())
            form.idea_id.data = None
            return _choose(form, results, error=str(IDEA_MESSAGES.get(problem, "")))
    return _choose(form, results)


def _choose(form: RedeemForm, results, error: str | None = None):
    ideas = services.collecting_ideas(
        q=form.q.data or None,
        area_id=form.area_id.data or None,
        own_area_ids=_own_area_ids(results),
    )
    return _render(
        "choose",
        form,
        422 if error else 200,
        results=results,
        good=[r for r in results if r.status == "ok"],
        ideas=ideas,
        progress={i.id: services.progress(i) for i in ideas},
        error=error,
    )


def _give(form: RedeemForm, typed: list[str], idea: Idea | None):
    outcome = services.redeem_and_commit(
        typed, idea.id if idea else None, client_key=_client_key(), today=services.local_today()
    )
    if outcome.idea_problem:
        form.idea_id.data = None
        return _choose(form, outcome.results, error=str(IDEA_MESSAGES[outcome.idea_problem]))
    db.session.refresh(outcome.idea)
    status = 200 if outcome.given or any(r.status == "given_here" for r in outcome.results) else 422
    return _render(
        "done",
        form,
        status,
        results=outcome.results,
        outcome=outcome,
        idea=outcome.idea,
    )


@bp.route("/cheques/controleren", methods=["POST"])
@limiter.limit("240 per minute")
def check():
    """Check one code for the instant check on the redeem page (JSON); nothing is used."""
    code = (request.form.get("code") or "")[:40]
    idea_id = int_or_none(request.form.get("idee"))
    idea = db.session.get(Idea, idea_id) if idea_id else None
    results, _blocked = services.check_codes(
        [code],
        client_key=_client_key(),
        today=services.local_today(),
        idea=idea if _collecting(idea) else None,
    )
    if not results:
        return jsonify({"ok": False, "status": "empty", "message": ""})
    result = results[0]
    return jsonify(
        {
            "ok": result.status == "ok",
            "status": result.status,
            "code": result.shown,
            "message": code_message(result),
        }
    )


# --- the progress bar on the idea page ---------------------------------------------------------


@bp.app_template_global()
def cheque_progress_for(idea):
    """Return what the cheque progress bar of an idea shows (None: the idea collects no cheques)."""
    return services.progress(idea, current_user)


@bp.app_template_global()
def cheque_days_left_text(days: int | None) -> str:
    """Return "3 days left" in words that fit every number."""
    if days is None:
        return ""
    if days == 0:
        return _("The last day has passed.")
    if days == 1:
        return _("Today is the last day.")
    return _("%(num)d days left", num=days)


# --- the owner's set-up -----------------------------------------------------------------------


def _owned_idea(idea_id: int) -> Idea:
    idea = db.get_or_404(Idea, idea_id)
    if not can_view_idea(current_user, idea):
        abort(404)
    require(is_idea_owner(current_user, idea))
    return idea


def _setup_page(idea, setup=None, invite=None, status=200):
    if setup is None:
        setup = SetupForm(formdata=None)
        if idea.target_cents:
            setup.target.data = format_cents_plain(idea.target_cents)
        elif idea.cost_cents:
            setup.target.data = format_cents_plain(idea.cost_cents)
        setup.target_date.data = idea.target_date
    own = services.author_row(idea)
    addresses = services.organiser_addresses(idea)
    return render_template(
        "cheques/setup.html",
        idea=idea,
        setup=setup,
        invite=invite or InviteForm(formdata=None),
        remove_form=ButtonForm(formdata=None),
        organisers=services.organisers(idea),
        own_address=own is not None and own.address_hash is not None,
        address_count=len({a for a in addresses if a}),
        needed=rules.MIN_ORGANISERS,
        problems=services.acceptance_problems(idea),
        can_organise=can_organise_cheques(current_user, idea),
        max_target=services.max_target_cents(),
    ), status


@bp.route("/ideeen/<int:idea_id>/cheques", methods=["GET", "POST"])
@login_required
def setup(idea_id):
    """Collect with cheques: the target amount, the target date and the author's address."""
    idea = _owned_idea(idea_id)
    if request.method == "GET":
        return _setup_page(idea)
    require(can_organise_cheques(current_user, idea))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            services.save_setup(
                idea,
                current_user,
                target_cents=form.target_cents(),
                target_date=form.target_date.data,
                postcode=form.postcode.data,
                house_number=form.house_number.data,
            )
        except services.ChequeRefused as refused:
            db.session.rollback()
            form.target.errors = list(form.target.errors)
            form.form_errors = [str(m) for m in refused.messages]
            return _setup_page(idea, setup=form, status=422)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("cheques.setup", idea_id=idea.id))
    return _setup_page(idea, setup=form, status=422)


@bp.route("/ideeen/<int:idea_id>/cheques/uitnodigen", methods=["POST"])
@login_required
def invite(idea_id):
    """Invite a co-organiser by e-mail."""
    idea = _owned_idea(idea_id)
    require(can_organise_cheques(current_user, idea))
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite(idea, current_user, name=form.name.data, email=form.email.data)
        except services.ChequeRefused as refused:
            db.session.rollback()
            form.email.errors = [str(m) for m in refused.messages]
            return _setup_page(idea, invite=form, status=422)
        db.session.commit()
        flash(
            _("We have sent %(name)s an e-mail with a link to confirm.", name=form.name.data),
            "success",
        )
        return redirect(url_for("cheques.setup", idea_id=idea.id))
    return _setup_page(idea, invite=form, status=422)


@bp.route(
    "/ideeen/<int:idea_id>/cheques/organisatoren/<int:organiser_id>/verwijderen", methods=["POST"]
)
@login_required
def remove_organiser(idea_id, organiser_id):
    """Remove an invited co-organiser."""
    idea = _owned_idea(idea_id)
    require(can_organise_cheques(current_user, idea))
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.remove_organiser(idea, organiser_id)
    except services.ChequeRefused:
        abort(404)
    db.session.commit()
    flash(_("The co-organiser has been removed."), "success")
    return redirect(url_for("cheques.setup", idea_id=idea.id))


@bp.route("/cheques/bevestigen/<token>", methods=["GET", "POST"])
def confirm(token):
    """A co-organiser confirms with postcode and house number (no account needed)."""
    row = services.organiser_for_token(token)
    if row is None:
        return render_template("cheques/confirm_unknown.html"), 404
    form = ConfirmOrganiserForm()
    if form.validate_on_submit():
        try:
            distinct = services.confirm(
                row, postcode=form.postcode.data, house_number=form.house_number.data
            )
        except services.ChequeRefused as refused:
            db.session.rollback()
            form.postcode.errors = [str(m) for m in refused.messages]
        else:
            db.session.commit()
            return render_template("cheques/confirmed.html", row=row, distinct=distinct)
    return render_template("cheques/confirm.html", row=row, form=form), _unprocessable(form)


# --- administration ----------------------------------------------------------------------------


@admin_bp.before_request
def guard():
    """Send anonymous visitors to log in; administrators only, coordinators for the initiatives."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if request.endpoint in COORDINATOR_ENDPOINTS:
        require(can_list_cheque_initiatives(current_user))
    else:
        require(can_manage_cheque_campaigns(current_user))
    return None


@admin_bp.route("/")
def index():
    """List the campaigns."""
    items = services.campaigns()
    return render_template(
        "cheques/admin/index.html",
        campaigns=items,
        counts={c.id: services.status_counts(c) for c in items},
    )


def _campaign_form(form: CampaignForm) -> None:
    form.area_ids.choices = [
        SelectChoice(a.id, a.name if a.level == "district" else f"— {a.name}")
        for a in services.scope_choices()
    ]


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
        web_max=current_app.config.get("CHEQUE_WEB_MAX", 5_000),
        generate_form=ButtonForm(formdata=None),
        void_form=void_form or VoidForm(formdata=None),
        errors=errors,
    ), status


@admin_bp.route("/<int:campaign_id>")
def show(campaign_id):
    """Show a campaign: settings, cheques made and used, making codes, voiding."""
    return _campaign_page(db.get_or_404(ChequeCampaign, campaign_id))


def _sheet_text(campaign) -> export.SheetText:
    return export.SheetText(
        title=_("Neighbourhood cheque %(name)s", name=current_app.config["MUNICIPALITY_NAME"]),
        value=format_cents(campaign.value_cents),
        valid=_(
            "Valid from %(start)s to %(end)s.",
            start=format_date(campaign.activation_starts_on, "long"),
            end=format_date(campaign.activation_ends_on, "long"),
        ),
        how=_(
            "Scan the QR code or go to %(url)s and give this cheque to an initiative.",
            url=external_url("cheques.redeem"),
        ),
        code_label=_("Code"),
        qr_label=_("QR code that opens the page to give this cheque"),
        lang=str(current_app.config["BABEL_DEFAULT_LOCALE"]),
    )


def _file_name(campaign) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", campaign.name.lower()).strip("-") or "campagne"
    return f"cheques-{campaign.id}-{slug}"


@admin_bp.route("/<int:campaign_id>/codes", methods=["POST"])
def generate(campaign_id):
    """Make the open cheques and return them once, as a ZIP with the CSV and print sheets."""
    campaign = db.get_or_404(ChequeCampaign, campaign_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    open_count = sum(n for _a, n in services.open_slots(campaign))
    web_max = current_app.config.get("CHEQUE_WEB_MAX", 5_000)
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
    try:
        made = services.generate_cheques(
            campaign,
            current_user,
            lambda code: external_url("cheques.redeem", code=code),
        )
        data = export.zip_export(
            campaign,
            made,
            _sheet_text(campaign),
            format_cents(campaign.value_cents),
            _file_name(campaign),
        )
    except services.ChequeRefused as refused:
        db.session.rollback()
        return _campaign_page(campaign, status=422, errors=[str(m) for m in refused.messages])
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(campaign)}.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


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
    writer = csv.writer(buffer, lineterminator="\n")
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
        f'attachment; filename="{_file_name(campaign)}-statistieken.csv"'
    )
    return response


@admin_bp.route("/initiatieven")
def initiatives():
    """List the collecting initiatives in the user's areas, with the form to extend the date."""
    ideas = services.initiatives_for(current_user)
    return render_template(
        "cheques/admin/initiatives.html",
        ideas=ideas,
        progress={i.id: services.progress(i) for i in ideas},
        form=ExtendForm(formdata=None),
    )


@admin_bp.route("/initiatieven/<int:idea_id>/verlengen", methods=["POST"])
def extend(idea_id):
    """Extend the target date of an initiative, once."""
    idea = db.get_or_404(Idea, idea_id)
    require(can_extend_target_date(current_user, idea))
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            services.extend_target_date(idea, current_user, form.new_date.data)
        except services.ChequeRefused as refused:
            db.session.rollback()
            for message in refused.messages:
                flash(str(message), "error")
        else:
            db.session.commit()
            flash(_("The target date has been extended."), "success")
    else:
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
    return redirect(url_for("cheques.admin.initiatives"))


bp.register_blueprint(admin_bp)
