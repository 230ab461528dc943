"""The administration, guarded once for the whole blueprint."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from buurtbegroting.admin import services
from buurtbegroting.admin.forms import (
    ACTION_LABELS,
    LEVEL_LABELS,
    ROLE_LABELS,
    AdoptForm,
    AreaForm,
    ConfirmForm,
    DraftForm,
    ImportForm,
    PlanForm,
    SpearheadForm,
    UserForm,
)
from buurtbegroting.admin.messages import MAX_SHOWN_ERRORS, file_message, row_message
from buurtbegroting.domain import csv_import
from buurtbegroting.extensions import db
from buurtbegroting.models import Area, AreaPlan, AuditEntry, OutboxMessage, Role, Spearhead, User
from buurtbegroting.permissions import (
    can_access_admin,
    can_change_user,
    can_create_plan,
    can_edit_area_tree,
    can_edit_plan,
    can_import_indicators,
    can_list_plans,
    can_manage_users,
    can_read_outbox,
    can_view_audit_log,
    require,
)

bp = Blueprint("admin", __name__)

PER_PAGE = 50


@bp.before_request
def guard():
    """Send anonymous visitors to the login page; refuse everyone who is not staff."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    require(can_access_admin(current_user))
    return None


@bp.app_context_processor
def admin_labels():
    """Give admin templates the translated labels of roles, levels and actions."""
    return {
        "role_labels": ROLE_LABELS,
        "level_labels": LEVEL_LABELS,
        "action_labels": ACTION_LABELS,
    }


def _page(query):
    return db.paginate(query, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)


def _invalid(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


@bp.route("/")
def index():
    """Show the start page of the administration."""
    return render_template("admin/index.html")


# --- CSV imports ------------------------------------------------------------------

IMPORTS = {
    "areas": {
        "title": _l("Import areas"),
        "columns": ";".join(csv_import.AREA_COLUMNS),
        "example": "code;name;parent_code\nGM0828;Oss;\nWK082803;Ruwaard;GM0828\nBU08280300;Ruwaard-Oost;WK082803",
        "service": services.import_areas,
        "back": "admin.areas",
    },
    "postcodes": {
        "title": _l("Import postcodes"),
        "columns": ";".join(csv_import.POSTCODE_COLUMNS),
        "example": "postcode;area_code\n5344;BU08280300\n5341AB;BU08280301",
        "service": services.import_postcodes,
        "back": "admin.postcodes",
    },
    "indicators": {
        "title": _l("Import indicators"),
        "columns": ";".join(csv_import.INDICATOR_COLUMNS),
        "example": "area_code;name;value;unit;municipal_average;year;source\n"
        "WK082803;Zich eenzaam voelen;48,0;%;44,0;2025;Wijkmonitor",
        "service": services.import_indicators,
        "back": "admin.indicators",
    },
}


def _run_import(kind: str, template_context: dict):
    """Handle the upload form of one kind of import: check, import all or nothing, report."""
    spec = IMPORTS[kind]
    form = ImportForm()
    errors: list[tuple[int, str]] = []
    hidden = 0
    if form.validate_on_submit():
        upload = form.file.data
        try:
            data = upload.stream.read(csv_import.MAX_BYTES + 1)
        finally:
            upload.close()
        try:
            summary = spec["service"](data, current_user, filename=upload.filename or "")
        except services.ImportRejected as rejected:
            db.session.rollback()
            if rejected.problem is not None:
                form.file.errors.append(file_message(rejected.problem))
            else:
                form.file.errors.append(
                    _(
                        "Nothing was imported: %(count)d rows have errors. Correct them and send the file again.",
                        count=len(rejected.errors),
                    )
                )
                errors = [
                    (line, row_message(code, params)) for line, code, params in rejected.errors
                ]
                hidden = max(0, len(errors) - MAX_SHOWN_ERRORS)
                errors = errors[:MAX_SHOWN_ERRORS]
        else:
            db.session.commit()
            message = _(
                "Import done: %(created)d added, %(updated)d changed, %(unchanged)d unchanged.",
                created=summary.created,
                updated=summary.updated,
                unchanged=summary.unchanged,
            )
            if summary.layout == "cbs":
                message += " " + _(
                    "%(split)d postcodes have addresses in more than one neighbourhood; they go to the neighbourhood with the most addresses.",
                    split=summary.split,
                )
            flash(message, "success")
            return redirect(url_for(spec["back"]))
    return render_template(
        "admin/import.html",
        form=form,
        kind=kind,
        spec=spec,
        row_errors=errors,
        hidden_errors=hidden,
        max_mb=csv_import.MAX_BYTES // (1024 * 1024),
        **template_context,
    ), 422 if form.errors else 200


# --- areas ------------------------------------------------------------------------


@bp.route("/gebieden")
def areas():
    """Show the area tree: municipality, districts, neighbourhoods."""
    require(can_edit_area_tree(current_user))
    roots, loose = services.area_tree()
    return render_template("admin/areas.html", roots=roots, loose=loose)


@bp.route("/gebieden/<int:area_id>/bewerken", methods=["GET", "POST"])
def edit_area(area_id):
    """Change the name and parent of an area."""
    area = db.get_or_404(Area, area_id)
    require(can_edit_area_tree(current_user))
    form = AreaForm(obj=area)
    parents = services.parent_choices(area)
    form.parent_id.choices = [SelectChoice("", _("(none)"))] if not parents else []
    form.parent_id.choices += [SelectChoice(str(p.id), f"{p.name} ({p.code})") for p in parents]
    if request.method == "GET":
        form.parent_id.data = str(area.parent_id or "")
    if form.validate_on_submit():
        parent = db.session.get(Area, int(form.parent_id.data)) if form.parent_id.data else None
        try:
            services.update_area(area, form.name.data, parent, actor=current_user)
        except services.WrongParent:
            db.session.rollback()
            form.parent_id.errors.append(_("Choose an area one level higher."))
        else:
            db.session.commit()
            flash(_("The area has been saved."), "success")
            return redirect(url_for("admin.areas"))
    return _invalid("admin/area_edit.html", form, area=area)


@bp.route("/gebieden/importeren", methods=["GET", "POST"])
def import_areas():
    """Create and update areas from a CSV file."""
    require(can_edit_area_tree(current_user))
    return _run_import("areas", {})


# --- postcodes --------------------------------------------------------------------


@bp.route("/postcodes")
def postcodes():
    """List the postcode → neighbourhood mapping, with search and pages."""
    require(can_edit_area_tree(current_user))
    search = request.args.get("q", "").strip()[:100]
    page = _page(services.postcode_query(search))
    return render_template("admin/postcodes.html", page=page, search=search)


@bp.route("/postcodes/importeren", methods=["GET", "POST"])
def import_postcodes():
    """Map postcodes to neighbourhoods from a CSV file (simple or CBS layout)."""
    require(can_edit_area_tree(current_user))
    return _run_import("postcodes", {})


# --- area plans -------------------------------------------------------------------


@bp.route("/gebiedsplannen")
def plans():
    """List the area plans the user may manage."""
    require(can_list_plans(current_user))
    page = _page(services.plan_query(current_user))
    return render_template("admin/plans.html", page=page)


def _plan_form(form: PlanForm) -> list[Area]:
    areas = services.manageable_areas(current_user)
    form.area_id.choices = [SelectChoice("", _("Choose an area"))] + [
        SelectChoice(str(a.id), f"{a.name} ({a.code})") for a in areas
    ]
    return areas


@bp.route("/gebiedsplannen/nieuw", methods=["GET", "POST"])
def new_plan():
    """Create a draft area plan for an area the user manages."""
    require(can_create_plan(current_user))
    form = PlanForm()
    _plan_form(form)
    if form.validate_on_submit():
        area = db.session.get(Area, int(form.area_id.data))
        plan = services.create_plan(
            area,
            form.title.data,
            form.summary.data or "",
            form.period_start.data,
            form.period_end.data,
            actor=current_user,
        )
        db.session.commit()
        flash(_("The area plan has been created."), "success")
        return redirect(url_for("admin.plan", plan_id=plan.id))
    return _invalid("admin/plan_form.html", form, plan=None)


@bp.route("/gebiedsplannen/<int:plan_id>")
def plan(plan_id):
    """Show an area plan with its spearheads and what can be done with it."""
    plan = db.get_or_404(AreaPlan, plan_id)
    require(can_edit_plan(current_user, plan))
    return render_template("admin/plan.html", plan=plan, confirm=ConfirmForm())


def _adopted_message():
    flash(_("This plan has been adopted. Set it back to draft first to change it."), "error")


@bp.route("/gebiedsplannen/<int:plan_id>/bewerken", methods=["GET", "POST"])
def edit_plan(plan_id):
    """Change the title, summary and period of a draft plan."""
    plan = db.get_or_404(AreaPlan, plan_id)
    require(can_edit_plan(current_user, plan))
    if plan.is_adopted:
        _adopted_message()
        return redirect(url_for("admin.plan", plan_id=plan.id))
    form = PlanForm(obj=plan)
    # The area of an existing plan does not change; the field only shows it.
    form.area_id.choices = [SelectChoice(str(plan.area_id), f"{plan.area.name} ({plan.area.code})")]
    form.area_id.data = str(plan.area_id)
    if form.validate_on_submit():
        services.update_plan(
            plan,
            form.title.data,
            form.summary.data or "",
            form.period_start.data,
            form.period_end.data,
            actor=current_user,
        )
        db.session.commit()
        flash(_("The area plan has been saved."), "success")
        return redirect(url_for("admin.plan", plan_id=plan.id))
    return _invalid("admin/plan_form.html", form, plan=plan)


@bp.route("/gebiedsplannen/<int:plan_id>/vaststellen", methods=["GET", "POST"])
def adopt_plan(plan_id):
    """Record that the plan was adopted, with the date and the decision reference."""
    plan = db.get_or_404(AreaPlan, plan_id)
    require(can_edit_plan(current_user, plan))
    if plan.is_adopted:
        flash(_("This plan has been adopted already."), "error")
        return redirect(url_for("admin.plan", plan_id=plan.id))
    form = AdoptForm()
    if form.validate_on_submit():
        try:
            services.adopt_plan(
                plan, form.adopted_on.data, form.decision_reference.data, actor=current_user
            )
        except services.PlanHasNoSpearheads:
            db.session.rollback()
            form.form_errors.append(_("Add at least one spearhead before you adopt the plan."))
        else:
            db.session.commit()
            flash(_("The area plan has been adopted."), "success")
            return redirect(url_for("admin.plan", plan_id=plan.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/plan_adopt.html", form=form, plan=plan), status


@bp.route("/gebiedsplannen/<int:plan_id>/concept", methods=["GET", "POST"])
def plan_to_draft(plan_id):
    """Set an adopted plan back to draft, with a reason."""
    plan = db.get_or_404(AreaPlan, plan_id)
    require(can_edit_plan(current_user, plan))
    if not plan.is_adopted:
        flash(_("This plan is a draft already."), "error")
        return redirect(url_for("admin.plan", plan_id=plan.id))
    form = DraftForm()
    if form.validate_on_submit():
        services.revert_plan_to_draft(plan, form.reason.data, actor=current_user)
        db.session.commit()
        flash(_("The area plan is a draft again."), "success")
        return redirect(url_for("admin.plan", plan_id=plan.id))
    return _invalid("admin/plan_draft.html", form, plan=plan)


@bp.route("/gebiedsplannen/<int:plan_id>/speerpunten/nieuw", methods=["GET", "POST"])
def new_spearhead(plan_id):
    """Add a spearhead to a draft plan."""
    plan = db.get_or_404(AreaPlan, plan_id)
    require(can_edit_plan(current_user, plan))
    if plan.is_adopted:
        _adopted_message()
        return redirect(url_for("admin.plan", plan_id=plan.id))
    form = SpearheadForm()
    if form.validate_on_submit():
        services.add_spearhead(plan, form.title.data, form.description.data or "", current_user)
        db.session.commit()
        flash(_("The spearhead has been added."), "success")
        return redirect(url_for("admin.plan", plan_id=plan.id))
    return _invalid("admin/spearhead_form.html", form, plan=plan, spearhead=None)


def _load_spearhead(spearhead_id: int) -> Spearhead:
    spearhead = db.get_or_404(Spearhead, spearhead_id)
    require(can_edit_plan(current_user, spearhead.plan))
    return spearhead


@bp.route("/speerpunten/<int:spearhead_id>/bewerken", methods=["GET", "POST"])
def edit_spearhead(spearhead_id):
    """Change a spearhead of a draft plan."""
    spearhead = _load_spearhead(spearhead_id)
    plan = spearhead.plan
    if plan.is_adopted:
        _adopted_message()
        return redirect(url_for("admin.plan", plan_id=plan.id))
    form = SpearheadForm(obj=spearhead)
    if form.validate_on_submit():
        services.update_spearhead(
            spearhead, form.title.data, form.description.data or "", current_user
        )
        db.session.commit()
        flash(_("The spearhead has been saved."), "success")
        return redirect(url_for("admin.plan", plan_id=plan.id))
    return _invalid("admin/spearhead_form.html", form, plan=plan, spearhead=spearhead)


@bp.route("/speerpunten/<int:spearhead_id>/verwijderen", methods=["GET", "POST"])
def delete_spearhead(spearhead_id):
    """Ask for confirmation, then remove a spearhead from a draft plan."""
    spearhead = _load_spearhead(spearhead_id)
    plan = spearhead.plan
    if plan.is_adopted:
        _adopted_message()
        return redirect(url_for("admin.plan", plan_id=plan.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_spearhead(spearhead, current_user)
        db.session.commit()
        flash(_("The spearhead has been deleted."), "success")
        return redirect(url_for("admin.plan", plan_id=plan.id))
    return render_template(
        "admin/spearhead_delete.html", form=form, plan=plan, spearhead=spearhead
    ), 422 if form.errors else 200


@bp.route("/speerpunten/<int:spearhead_id>/verplaatsen/<direction>", methods=["POST"])
def move_spearhead(spearhead_id, direction):
    """Move a spearhead one place up or down."""
    spearhead = _load_spearhead(spearhead_id)
    plan = spearhead.plan
    steps = {"omhoog": -1, "omlaag": 1}
    if direction not in steps:
        abort(404)
    if plan.is_adopted:
        _adopted_message()
        return redirect(url_for("admin.plan", plan_id=plan.id))
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_spearhead(spearhead, steps[direction], current_user)
    db.session.commit()
    flash(_("The order has been saved."), "success")
    return redirect(url_for("admin.plan", plan_id=plan.id) + f"#spearhead-{spearhead.id}")


# --- indicators -------------------------------------------------------------------


@bp.route("/indicatoren")
def indicators():
    """List the area-monitor figures, per area and year."""
    require(can_import_indicators(current_user))
    area_id = request.args.get("area", type=int)
    year = request.args.get("year", type=int)
    page = _page(services.indicator_query(area_id, year))
    return render_template(
        "admin/indicators.html",
        page=page,
        areas=services.areas_with_indicators(),
        years=services.indicator_years(),
        area_id=area_id,
        year=year,
    )


@bp.route("/indicatoren/importeren", methods=["GET", "POST"])
def import_indicators():
    """Create and update area-monitor figures from a CSV file."""
    require(can_import_indicators(current_user))
    return _run_import("indicators", {})


# --- users ------------------------------------------------------------------------


@bp.route("/gebruikers")
def users():
    """List accounts, with search by e-mail address or name, and pages."""
    require(can_manage_users(current_user))
    search = request.args.get("q", "").strip()[:100]
    page = _page(services.user_query(search))
    return render_template("admin/users.html", page=page, search=search)


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
        try:
            services.update_user(
                target, Role(form.role.data), areas, not form.is_blocked.data, actor=current_user
            )
        except services.CoordinatorNeedsAreas:
            db.session.rollback()
            form.areas.errors.append(_("Choose at least one area for an area coordinator."))
        else:
            db.session.commit()
            flash(_("The account has been saved."), "success")
            return redirect(url_for("admin.users"))
    return _invalid("admin/user_edit.html", form, target=target, area_choices=choices)


# --- audit log and outbox ---------------------------------------------------------


@bp.route("/logboek")
def audit_log():
    """List the audit log, newest first, filtered by action and actor."""
    require(can_view_audit_log(current_user))
    action = request.args.get("action", "")[:60]
    actor = request.args.get("actor", "")[:254]
    actions, actors = services.audit_filter_values()
    page = _page(services.audit_query(action, actor))
    return render_template(
        "admin/audit.html", page=page, actions=actions, actors=actors, action=action, actor=actor
    )


@bp.route("/logboek/<int:entry_id>")
def audit_entry(entry_id):
    """Show one audit entry with the values before and after."""
    entry = db.get_or_404(AuditEntry, entry_id)
    require(can_view_audit_log(current_user))
    keys = sorted(set(entry.before or {}) | set(entry.after or {}))
    return render_template("admin/audit_entry.html", entry=entry, keys=keys)


@bp.route("/uitgaande-mail")
def outbox():
    """List the e-mails the platform wrote, newest first."""
    require(can_read_outbox(current_user))
    page = _page(
        select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    return render_template("admin/outbox.html", page=page)


@bp.route("/uitgaande-mail/<int:message_id>")
def outbox_message(message_id):
    """Show one e-mail from the outbox."""
    message = db.get_or_404(OutboxMessage, message_id)
    require(can_read_outbox(current_user))
    return render_template("admin/outbox_message.html", message=message)
