"""Area plans and their spearheads."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import _
from flask_login import current_user
from wtforms import SelectChoice

from buurtbegroting.admin import bp, services
from buurtbegroting.admin.forms import (
    AdoptForm,
    DraftForm,
    PlanForm,
    SpearheadForm,
)
from buurtbegroting.admin.views.common import commit_or_show, list_page
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.models import Area, AreaPlan, Spearhead
from buurtbegroting.permissions import (
    can_create_plan,
    can_edit_plan,
    can_list_plans,
    require,
)
from buurtbegroting.rendering import render_form


@bp.route("/gebiedsplannen")
def plans():
    """List the area plans the user may manage."""
    require(can_list_plans(current_user))
    return list_page("admin/plans.html", services.plan_query(current_user))


def _plan_form(form: PlanForm) -> list[Area]:
    areas = services.manageable_areas(current_user)
    form.area_id.choices = [SelectChoice("", _("Choose an area"))] + [
        SelectChoice(str(a.id), f"{a.name} ({a.code})") for a in areas
    ]
    return areas


def _plan_values(form: PlanForm) -> tuple:
    """Return the title, summary, start and end of the plan as the form has them."""
    return form.title.data, form.summary.data or "", form.period_start.data, form.period_end.data


@bp.route("/gebiedsplannen/nieuw", methods=["GET", "POST"])
def new_plan():
    """Create a draft area plan for an area the user manages."""
    require(can_create_plan(current_user))
    form = PlanForm()
    _plan_form(form)
    if form.validate_on_submit():
        area = db.session.get(Area, int(form.area_id.data))
        plan = services.create_plan(area, *_plan_values(form), actor=current_user)
        return _saved(plan, _("The area plan has been created."))
    return render_form("admin/plan_form.html", form, plan=None)


@bp.route("/gebiedsplannen/<int:plan_id>")
def plan(plan_id):
    """Show an area plan with its spearheads and what can be done with it."""
    plan = _load_plan(plan_id)
    return render_template("admin/plan.html", plan=plan, confirm=ConfirmForm())


def _load_plan(plan_id: int) -> AreaPlan:
    plan = db.get_or_404(AreaPlan, plan_id)
    require(can_edit_plan(current_user, plan))
    return plan


def _back_to(plan: AreaPlan, message: str, category: str = "success"):
    """Say what happened and go back to the plan's page."""
    flash(message, category)
    return redirect(url_for("admin.plan", plan_id=plan.id))


def _saved(plan: AreaPlan, message: str):
    """Commit the change, say so and go back to the plan's page."""
    db.session.commit()
    return _back_to(plan, message)


def _draft(plan: AreaPlan) -> AreaPlan:
    """Return the plan while it is a draft; an adopted plan sends the user back to its page."""
    if plan.is_adopted:
        abort(
            _back_to(
                plan,
                _("This plan has been adopted. Set it back to draft first to change it."),
                "error",
            )
        )
    return plan


def _plan_page(plan: AreaPlan, form, save, message: str, template: str, **context):
    """Run ``save()`` for a valid form, commit and go back to the plan; else show the form."""
    if form.validate_on_submit():
        save()
        return _saved(plan, message)
    return render_form(template, form, plan=plan, **context)


@bp.route("/gebiedsplannen/<int:plan_id>/bewerken", methods=["GET", "POST"])
def edit_plan(plan_id):
    """Change the title, summary and period of a draft plan."""
    plan = _draft(_load_plan(plan_id))
    form = PlanForm(obj=plan)
    # The area of an existing plan does not change; the field only shows it.
    form.area_id.choices = [SelectChoice(str(plan.area_id), f"{plan.area.name} ({plan.area.code})")]
    form.area_id.data = str(plan.area_id)
    return _plan_page(
        plan,
        form,
        lambda: services.update_plan(plan, *_plan_values(form), actor=current_user),
        _("The area plan has been saved."),
        "admin/plan_form.html",
    )


@bp.route("/gebiedsplannen/<int:plan_id>/vaststellen", methods=["GET", "POST"])
def adopt_plan(plan_id):
    """Record that the plan was adopted, with the date and the decision reference."""
    plan = _load_plan(plan_id)
    if plan.is_adopted:
        return _back_to(plan, _("This plan has been adopted already."), "error")
    form = AdoptForm()
    if form.validate_on_submit() and commit_or_show(
        form,
        lambda: services.adopt_plan(
            plan, form.adopted_on.data, form.decision_reference.data, actor=current_user
        ),
        _("The area plan has been adopted."),
    ):
        return redirect(url_for("admin.plan", plan_id=plan.id))
    status = 422 if form.form_errors else None
    return render_form("admin/plan_adopt.html", form, status=status, plan=plan)


@bp.route("/gebiedsplannen/<int:plan_id>/concept", methods=["GET", "POST"])
def plan_to_draft(plan_id):
    """Set an adopted plan back to draft, with a reason."""
    plan = _load_plan(plan_id)
    if not plan.is_adopted:
        return _back_to(plan, _("This plan is a draft already."), "error")
    form = DraftForm()
    return _plan_page(
        plan,
        form,
        lambda: services.revert_plan_to_draft(plan, form.reason.data, actor=current_user),
        _("The area plan is a draft again."),
        "admin/plan_draft.html",
    )


@bp.route("/gebiedsplannen/<int:plan_id>/speerpunten/nieuw", methods=["GET", "POST"])
def new_spearhead(plan_id):
    """Add a spearhead to a draft plan."""
    plan = _draft(_load_plan(plan_id))
    return _spearhead_form(
        plan,
        None,
        lambda title, text: services.add_spearhead(plan, title, text, current_user),
        _("The spearhead has been added."),
    )


def _spearhead_form(plan: AreaPlan, spearhead: Spearhead | None, save, message: str):
    """Show the form of a new or existing spearhead; save a valid one with ``save(title, text)``."""
    form = SpearheadForm(obj=spearhead)
    return _plan_page(
        plan,
        form,
        lambda: save(form.title.data, form.description.data or ""),
        message,
        "admin/spearhead_form.html",
        spearhead=spearhead,
    )


def _load_spearhead(spearhead_id: int) -> Spearhead:
    spearhead = db.get_or_404(Spearhead, spearhead_id)
    require(can_edit_plan(current_user, spearhead.plan))
    return spearhead


@bp.route("/speerpunten/<int:spearhead_id>/bewerken", methods=["GET", "POST"])
def edit_spearhead(spearhead_id):
    """Change a spearhead of a draft plan."""
    spearhead = _load_spearhead(spearhead_id)
    plan = _draft(spearhead.plan)
    return _spearhead_form(
        plan,
        spearhead,
        lambda title, text: services.update_spearhead(spearhead, title, text, current_user),
        _("The spearhead has been saved."),
    )


@bp.route("/speerpunten/<int:spearhead_id>/verwijderen", methods=["GET", "POST"])
def delete_spearhead(spearhead_id):
    """Ask for confirmation, then remove a spearhead from a draft plan."""
    spearhead = _load_spearhead(spearhead_id)
    plan = _draft(spearhead.plan)
    form = ConfirmForm()
    return _plan_page(
        plan,
        form,
        lambda: services.delete_spearhead(spearhead, current_user),
        _("The spearhead has been deleted."),
        "admin/spearhead_delete.html",
        spearhead=spearhead,
    )


@bp.route("/speerpunten/<int:spearhead_id>/verplaatsen/<direction>", methods=["POST"])
def move_spearhead(spearhead_id, direction):
    """Move a spearhead one place up or down."""
    spearhead = _load_spearhead(spearhead_id)
    plan = spearhead.plan
    steps = {"omhoog": -1, "omlaag": 1}
    if direction not in steps:
        abort(404)
    _draft(plan)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_spearhead(spearhead, steps[direction], current_user)
    db.session.commit()
    flash(_("The order has been saved."), "success")
    return redirect(url_for("admin.plan", plan_id=plan.id) + f"#spearhead-{spearhead.id}")
