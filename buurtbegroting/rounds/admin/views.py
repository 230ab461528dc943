"""Set up budget rounds: settings, areas with budgets, ballot items, and closing."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from buurtbegroting import audit, jobs
from buurtbegroting.domain.money import parse_cents
from buurtbegroting.domain.rounds import Phase
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.models import (
    Area,
    AreaLevel,
    BallotItem,
    BudgetRound,
    Idea,
    JobState,
    RoundArea,
)
from buurtbegroting.permissions import (
    can_administer_rounds,
    can_close_round,
    can_manage_area,
    can_manage_round,
    guard_blueprint,
    require,
)
from buurtbegroting.rendering import commit_unless_refused, render_form
from buurtbegroting.rounds import services
from buurtbegroting.rounds.admin import bp
from buurtbegroting.rounds.forms import (
    LOCKED_FIELDS,
    AreaBudgetForm,
    CloseForm,
    RoundForm,
    to_local,
    to_utc,
)
from buurtbegroting.rounds.views.common import _ballots, _round, _rounds

#: Phases in which closing is early and needs a reason.
EARLY = (Phase.UPCOMING, Phase.SUBMISSION, Phase.REVIEW, Phase.VOTING)

DEFAULT_EXPLANATIONS = {
    "greedy": (
        "De ideeën met de meeste stemmen krijgen geld, zolang het budget niet op is. "
        "Past een idee niet meer in het budget, dan kijken we naar het volgende idee."
    ),
    "equal_shares": (
        "Elke stemmer krijgt een gelijk deel van het budget. Een idee krijgt geld als de mensen "
        "die erop stemden het samen kunnen betalen. Zo krijgen ook kleinere groepen iets. "
        "Blijft er geld over, dan gaat dat naar de ideeën met de meeste stemmen die nog passen."
    ),
}


guard_blueprint(bp, can_administer_rounds)


def _load(round_id: int) -> BudgetRound:
    round_ = _round(round_id)
    require(can_manage_round(current_user, round_))
    return round_


#: The round's phase dates: UTC in the database, Dutch time in the form.
_PHASE_DATES = (
    "submission_opens_at",
    "review_opens_at",
    "voting_opens_at",
    "voting_closes_at",
    "results_at",
)


def _fill(round_: BudgetRound, form: RoundForm) -> None:
    for name in (
        "name",
        "description",
        "min_choices",
        "max_choices",
        "knapsack_min_percent",
        "cumulative_points",
        "cumulative_max_per_idea",
        "threshold_percent",
        "min_age",
        "residence_required",
        "own_area_only",
        "allow_ballot_changes",
        "allows_second_area",
        "show_live_results",
    ):
        setattr(round_, name, getattr(form, name).data)
    for name in _PHASE_DATES:
        setattr(round_, name, to_utc(getattr(form, name).data))
    round_.ballot_type = form.ballot_type.data
    round_.rule = form.rule.data
    round_.identification = form.identification.data
    round_.tie_break = (
        f"seed:{form.tie_seed.data}" if form.tie_break.data == "seed" else form.tie_break.data
    )
    round_.min_choices = form.min_choices.data or 0
    round_.knapsack_min_percent = form.knapsack_min_percent.data or 0
    round_.rule_explanation = form.rule_explanation.data or DEFAULT_EXPLANATIONS[form.rule.data]


def _form_from(round_: BudgetRound) -> RoundForm:
    form = RoundForm(obj=round_)
    if request.method == "GET":
        for name in _PHASE_DATES:
            getattr(form, name).data = to_local(getattr(round_, name))
        form.ballot_type.data = round_.ballot_type.value
        form.rule.data = round_.rule.value
        form.identification.data = round_.identification.value
        if round_.tie_break.startswith("seed:"):
            form.tie_break.data, form.tie_seed.data = "seed", int(round_.tie_break.split(":", 1)[1])
    return form


def _comparable(value):
    # An empty field and 0 mean the same ("no minimum"); forms hold times to the minute.
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    return value or None


def _locked_values(round_: BudgetRound) -> dict:
    seed = int(round_.tie_break.split(":", 1)[1]) if round_.tie_break.startswith("seed:") else None
    return {
        "submission_opens_at": to_local(round_.submission_opens_at),
        "review_opens_at": to_local(round_.review_opens_at),
        "voting_opens_at": to_local(round_.voting_opens_at),
        "ballot_type": round_.ballot_type.value,
        "min_choices": round_.min_choices,
        "max_choices": round_.max_choices,
        "knapsack_min_percent": round_.knapsack_min_percent,
        "cumulative_points": round_.cumulative_points,
        "cumulative_max_per_idea": round_.cumulative_max_per_idea,
        "rule": round_.rule.value,
        "tie_break": "seed" if seed is not None else round_.tie_break,
        "tie_seed": seed,
        "threshold_percent": round_.threshold_percent,
    }


@bp.route("/")
def index():
    """List the rounds the user may manage."""
    rounds = [r for r in _rounds() if can_manage_round(current_user, r)]
    return render_template("rounds_admin/index.html", rounds=rounds, phase=services.phase)


@bp.route("/nieuw", methods=["GET", "POST"])
def new():
    """Create a round; areas and ballot follow on its page."""
    form = RoundForm()
    if request.method == "GET":
        form.ballot_type.data, form.rule.data, form.identification.data = (
            "approval",
            "greedy",
            "both",
        )
        form.min_choices.data, form.min_age.data, form.tie_break.data = 1, 12, "cheaper"
        form.residence_required.data = form.own_area_only.data = True
    if form.validate_on_submit():
        round_ = BudgetRound()
        _fill(round_, form)
        db.session.add(round_)
        db.session.flush()
        audit.record(
            current_user, "round.create", round_, summary=round_.name, after=audit.snapshot(round_)
        )
        db.session.commit()
        flash(_("The round has been created. Now add its areas and budgets."), "success")
        return redirect(url_for("rounds_admin.show", round_id=round_.id))
    return render_form(
        "rounds_admin/edit.html", form=form, round_=None, locked=False, locked_fields=LOCKED_FIELDS
    )


@bp.route("/<int:round_id>")
def show(round_id):
    """Show a round: phase, areas with budgets and ballots, and what can be done now."""
    round_ = _load(round_id)
    areas = _ballots(round_)
    candidates = {ra.id: services.candidate_ideas(ra) for ra in areas}
    return render_template(
        "rounds_admin/show.html",
        round_=round_,
        areas=areas,
        candidates=candidates,
        phase=services.phase(round_),
        locked=services.is_locked(round_),
        area_form=_area_form(round_),
        button=ConfirmForm(formdata=None),
        counts=services.ballot_counts([ra.id for ra in areas]),
    )


@bp.route("/<int:round_id>/bewerken", methods=["GET", "POST"])
def edit(round_id):
    """Change the round's settings; after voting has started the ballot rules stay as they are."""
    round_ = _load(round_id)
    locked = services.is_locked(round_)
    form = _form_from(round_)
    if form.validate_on_submit():
        if locked:
            before = _locked_values(round_)
            for name in LOCKED_FIELDS:
                posted, stored = _comparable(getattr(form, name).data), _comparable(before[name])
                if posted != stored:
                    getattr(form, name).errors.append(
                        _("Voting has started: this can no longer change.")
                    )
        if not any(getattr(form, n).errors for n in LOCKED_FIELDS):
            before = audit.snapshot(round_)
            _fill(round_, form)
            db.session.flush()
            old, new = audit.changes(before, audit.snapshot(round_))
            audit.record(
                current_user, "round.update", round_, summary=round_.name, before=old, after=new
            )
            db.session.commit()
            flash(_("The round has been saved."), "success")
            return redirect(url_for("rounds_admin.show", round_id=round_.id))
    status = 422 if (form.errors or any(getattr(form, n).errors for n in LOCKED_FIELDS)) else 200
    return render_template(
        "rounds_admin/edit.html",
        form=form,
        round_=round_,
        locked=locked,
        locked_fields=LOCKED_FIELDS,
    ), status


def _area_form(round_: BudgetRound, formdata=None) -> AreaBudgetForm:
    form = (
        AreaBudgetForm(formdata=formdata) if formdata is not None else AreaBudgetForm(formdata=None)
    )
    taken = {ra.area_id for ra in round_.areas}
    areas = db.session.scalars(
        select(Area).where(Area.level != AreaLevel.MUNICIPALITY).order_by(Area.code)
    ).all()
    form.area_id.choices = [
        SelectChoice(a.id, a.name if a.level == "district" else f"— {a.name}")
        for a in areas
        if a.id not in taken and can_manage_area(current_user, a)
    ]
    return form


@bp.route("/<int:round_id>/gebieden", methods=["POST"])
def add_area(round_id):
    """Add an area with its budget (before voting starts)."""
    round_ = _load(round_id)
    form = _area_form(round_, request.form)
    if services.is_locked(round_):
        flash(_("Voting has started: budgets and areas can no longer change."), "error")
        return redirect(url_for("rounds_admin.show", round_id=round_.id))
    if form.validate_on_submit():
        area = db.session.get(Area, form.area_id.data)
        ra = RoundArea(
            round=round_,
            area=area,
            budget_cents=parse_cents(form.budget.data, maximum=100_000_000_000),
            eligible_count=form.eligible_count.data,
        )
        db.session.add(ra)
        db.session.flush()
        audit.record(
            current_user,
            "round.area_added",
            round_,
            summary=area.name,
            after={"area": area.code, "budget_cents": ra.budget_cents},
        )
        db.session.commit()
        flash(_("The area has been added."), "success")
        return redirect(url_for("rounds_admin.show", round_id=round_.id))
    return render_template("rounds_admin/area_form.html", round_=round_, form=form), 422


@bp.route("/<int:round_id>/gebieden/<int:round_area_id>/verwijderen", methods=["POST"])
def remove_area(round_id, round_area_id):
    """Take an area out of the round (before voting starts)."""
    round_ = _load(round_id)
    ra = db.get_or_404(RoundArea, round_area_id)
    if ra.round_id != round_.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.is_locked(round_):
        flash(_("Voting has started: budgets and areas can no longer change."), "error")
    elif request.form.get("zeker") != "ja":
        flash(_("Tick the box to confirm."), "error")
    else:
        audit.record(
            current_user,
            "round.area_removed",
            round_,
            summary=ra.area.name,
            before={"area": ra.area.code, "budget_cents": ra.budget_cents},
        )
        db.session.delete(ra)
        db.session.commit()
        flash(_("The area has been removed from the round."), "success")
    return redirect(url_for("rounds_admin.show", round_id=round_.id))


@bp.route("/<int:round_id>/gebieden/<int:round_area_id>/ideeen", methods=["POST"])
def add_item(round_id, round_area_id):
    """Put an accepted idea on the ballot of an area."""
    round_ = _load(round_id)
    ra = db.get_or_404(RoundArea, round_area_id)
    if ra.round_id != round_.id or not ConfirmForm().validate_on_submit():
        abort(404 if ra.round_id != round_.id else 400)
    try:
        idea_id = int(request.form.get("idea_id", ""))
    except ValueError:
        abort(400)
    idea = db.get_or_404(Idea, idea_id)
    commit_unless_refused(
        lambda: services.add_ballot_item(ra, idea, current_user),
        services.VoteRefused,
        _("The idea is on the ballot."),
    )
    return redirect(url_for("rounds_admin.show", round_id=round_.id))


@bp.route("/<int:round_id>/stembiljet/<int:item_id>/verwijderen", methods=["POST"])
def remove_item(round_id, item_id):
    """Take an idea off the ballot."""
    round_ = _load(round_id)
    item = db.get_or_404(BallotItem, item_id)
    if item.round_area.round_id != round_.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    commit_unless_refused(
        lambda: services.remove_ballot_item(item, current_user),
        services.VoteRefused,
        _("The idea has been taken off the ballot."),
    )
    return redirect(url_for("rounds_admin.show", round_id=round_.id))


@bp.route("/<int:round_id>/sluiten", methods=["GET", "POST"])
def close(round_id):
    """Close the round after a confirmation: count once, publish, fund the winners."""
    round_ = _load(round_id)
    require(can_close_round(current_user, round_))
    form = CloseForm()
    valid = form.validate_on_submit()
    if request.method == "POST" and services.phase(round_) in EARLY and not form.reason.data:
        # Say at once that an early close needs a reason, also when the box was not ticked.
        form.reason.errors.append(
            _("Voting has not ended yet. Give a reason to close the round early.")
        )
        valid = False
    if valid and services.phase(round_) in (Phase.CLOSED, Phase.PUBLISHED):
        form.reason.errors = [_("This round has already been closed.")]
    elif valid:
        # A job counts and publishes (jobs/kinds/rounds.py); when it is done already (a
        # fast worker), go to the results, else follow it on its page.
        job = jobs.start_job(
            "close_round", {"round_id": round_.id, "reason": form.reason.data}, current_user
        )
        db.session.refresh(job)
        if job.state == JobState.DONE:
            flash(_("The round has been closed and the results are published."), "success")
            return redirect(url_for("rounds.results", round_id=round_.id))
        if job.state != JobState.FAILED:
            return redirect(url_for("jobs.show", job_id=job.id), 303)
        form.reason.errors = [job.error]
    return render_form(
        "rounds_admin/close.html",
        round_=round_,
        form=form,
        phase=services.phase(round_),
        counts=services.ballot_counts([ra.id for ra in round_.areas]),
    )
