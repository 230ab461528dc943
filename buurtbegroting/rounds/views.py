"""Public pages of budget rounds: the round, voting (code or account), receipt, results."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from buurtbegroting.domain.rounds import Phase
from buurtbegroting.extensions import db, limiter
from buurtbegroting.models import BallotItem, BudgetRound, CodeStatus, RoundArea, VotingCode
from buurtbegroting.rounds import services

bp = Blueprint("rounds", __name__)

PHASE_LABELS = {
    Phase.UPCOMING: _l("Not started yet"),
    Phase.SUBMISSION: _l("Ideas can be submitted"),
    Phase.REVIEW: _l("The municipality checks the ideas"),
    Phase.VOTING: _l("Voting is open"),
    Phase.COUNTING: _l("Voting has closed; the results follow soon"),
    Phase.CLOSED: _l("Closed"),
    Phase.PUBLISHED: _l("Results published"),
}


class CodeForm(FlaskForm):
    """Type the voting code from the letter."""

    code = StringField(
        _l("Your voting code"),
        validators=[
            DataRequired(message=_l("Type the code from your letter.")),
            Length(
                max=40, message=_l("A voting code has 13 letters and digits, like ABCD-EFGH-JKMNP.")
            ),
        ],
        description=_l("13 letters and digits. Capitals, spaces and dashes do not matter."),
    )
    submit = SubmitField(_l("Go to the ballot"))


class BirthDateForm(FlaskForm):
    """Ask a resident's date of birth once, to check the minimum age."""

    birth_date = DateField(
        _l("Date of birth"),
        validators=[DataRequired(message=_l("Fill in your date of birth, like 1980-05-01."))],
    )
    submit = SubmitField(_l("Continue"))

    def validate_birth_date(self, field):
        """Refuse impossible dates."""
        from wtforms.validators import ValidationError

        if field.data > date.today() or field.data.year < 1900:
            raise ValidationError(_l("Fill in your real date of birth."))


class BallotForm(FlaskForm):
    """Only carries the CSRF token; the choices are read from the request."""


@bp.app_template_global()
def phase_label(phase) -> str:
    """Return the translated label of a round phase."""
    return str(PHASE_LABELS[Phase(phase)])


@bp.app_template_global()
def has_endpoint(name: str) -> bool:
    """Tell whether the app has a route endpoint (for optional links)."""
    return name in current_app.view_functions


def _round(round_id: int) -> BudgetRound:
    round_ = db.session.scalar(
        select(BudgetRound)
        .where(BudgetRound.id == round_id)
        .options(selectinload(BudgetRound.areas).selectinload(RoundArea.area))
    )
    if round_ is None:
        abort(404)
    return round_


def _code_limit_key() -> str:
    # Per client and round; a QR link does not name its round, so links share one bucket.
    return f"code:{request.remote_addr}:{(request.view_args or {}).get('round_id', 'link')}"


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/rondes")
def index():
    """List the budget rounds."""
    rounds = db.session.scalars(
        select(BudgetRound)
        .order_by(BudgetRound.voting_opens_at.desc())
        .options(selectinload(BudgetRound.areas).selectinload(RoundArea.area))
    ).all()
    return render_template("rounds/index.html", rounds=rounds, phase=services.phase)


@bp.route("/rondes/<int:round_id>")
def show(round_id):
    """Show a round: how it works, its phases, areas, budgets and ballot."""
    round_ = _round(round_id)
    current = services.phase(round_)
    areas = db.session.scalars(
        select(RoundArea)
        .where(RoundArea.round_id == round_.id)
        .options(
            selectinload(RoundArea.area),
            selectinload(RoundArea.items).selectinload(BallotItem.idea),
        )
    ).all()
    live = {}
    if round_.show_live_results and current == Phase.VOTING:
        live = {ra.id: services.live_scores(ra) for ra in areas}
    return render_template(
        "rounds/show.html", round_=round_, phase=current, areas=areas, live=live, Phase=Phase
    )


# --- getting to the ballot ------------------------------------------------------------------


def _grant(round_area: RoundArea, *, code: VotingCode | None = None) -> None:
    session["ballot_access"] = {"ra": round_area.id, "code": code.code_hash if code else None}


def _access(round_area_id: int) -> tuple[VotingCode | None, bool]:
    """Return (code, is_account) for the voter's access to this area, or abort."""
    access = session.get("ballot_access") or {}
    if access.get("ra") != round_area_id:
        abort(403)
    if access.get("code"):
        code = db.session.scalar(select(VotingCode).where(VotingCode.code_hash == access["code"]))
        if code is None:
            abort(403)
        return code, False
    return None, True


@bp.route("/stemmen/<int:round_id>", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("RATELIMIT_CODES", "20 per 10 minutes"),
    methods=["POST"],
    key_func=lambda: _code_limit_key(),
    deduct_when=_failed,
)
def start(round_id):
    """Start voting: type the code from the letter, or log in."""
    round_ = _round(round_id)
    current = services.phase(round_)
    form = CodeForm()
    if current != Phase.VOTING:
        return render_template(
            "rounds/start.html",
            round_=round_,
            form=form,
            phase=current,
            Phase=Phase,
            account_areas=[],
        ), 200
    if form.validate_on_submit():
        try:
            code = services.find_code(round_, form.code.data)
        except services.VoteRefused as refused:
            form.code.errors.append(str(refused.messages[0]))
        else:
            _grant(code.round_area, code=code)
            return redirect(url_for("rounds.ballot", round_area_id=code.round_area_id))
    account_areas = []
    if current_user.is_authenticated and round_.identification.value != "code":
        account_areas = services.account_areas(round_, current_user)
    return render_template(
        "rounds/start.html",
        round_=round_,
        form=form,
        phase=current,
        Phase=Phase,
        account_areas=account_areas,
    ), 422 if form.errors else 200


@bp.route("/stem/<code>")
@limiter.limit(
    lambda: current_app.config.get("RATELIMIT_CODES", "20 per 10 minutes"),
    key_func=lambda: _code_limit_key(),
    deduct_when=_failed,
)
def start_with_code(code):
    """The link in the QR code on the letter: check the code and open the ballot."""
    from buurtbegroting.domain.codes import InvalidCode, normalize_code

    try:
        normalized = normalize_code(code)
    except InvalidCode:
        normalized = None
    found = None
    if normalized:
        found = db.session.scalar(
            select(VotingCode)
            .where(VotingCode.code_hash == services.voting_code_hash(normalized))
            .options(selectinload(VotingCode.round_area).selectinload(RoundArea.round))
        )
    if found is None:
        return render_template(
            "rounds/code_problem.html",
            message=_("We do not know this code. Check it, or ask the municipality for help."),
        ), 404
    round_ = found.round_area.round
    if services.phase(round_) != Phase.VOTING:
        return render_template(
            "rounds/code_problem.html",
            message=_("Voting is not open in this round."),
            round_=round_,
        ), 409
    try:
        services.find_code(round_, normalized)
    except services.VoteRefused as refused:
        return render_template(
            "rounds/code_problem.html", message=str(refused.messages[0]), round_=round_
        ), 409
    _grant(found.round_area, code=found)
    return redirect(url_for("rounds.ballot", round_area_id=found.round_area_id))


@bp.route("/stemmen/<int:round_id>/account/<int:round_area_id>", methods=["GET", "POST"])
@login_required
def start_with_account(round_id, round_area_id):
    """Vote with an account: check age and residence, ask the date of birth once."""
    round_ = _round(round_id)
    round_area = next((ra for ra in round_.areas if ra.id == round_area_id), None)
    if round_area is None:
        abort(404)
    if services.phase(round_) != Phase.VOTING:
        flash(_("Voting is not open in this round."), "error")
        return redirect(url_for("rounds.show", round_id=round_.id))
    form = BirthDateForm()
    if current_user.birth_date is None:
        if form.validate_on_submit():
            current_user.birth_date = form.birth_date.data
            db.session.commit()
        else:
            return render_template(
                "rounds/birth_date.html", round_=round_, round_area=round_area, form=form
            ), 422 if form.errors else 200
    try:
        services.check_account(round_area, current_user)
    except services.VoteRefused as refused:
        return render_template(
            "rounds/code_problem.html", message=str(refused.messages[0]), round_=round_
        ), 403
    _grant(round_area)
    return redirect(url_for("rounds.ballot", round_area_id=round_area.id))


# --- the ballot ----------------------------------------------------------------------------


def _parse_choices(round_area: RoundArea) -> tuple[dict[int, int], list[str]]:
    """Read the voter's choices from the form; return (choices, problems)."""
    problems = []
    choices: dict[int, int] = {}
    if round_area.round.ballot_type.value == "cumulative":
        for key, value in request.form.items():
            if not key.startswith("points-"):
                continue
            value = value.strip()
            if not value:
                continue
            try:
                item_id, points = int(key.removeprefix("points-")), int(value)
            except ValueError:
                problems.append(_("Points must be whole numbers above zero."))
                continue
            if points < 0:
                problems.append(_("Points must be whole numbers above zero."))
            elif points > 0:
                choices[item_id] = points
    else:
        for value in request.form.getlist("item"):
            try:
                choices[int(value)] = 1
            except ValueError:
                problems.append(_("Your ballot names an idea that is not on this ballot."))
    return choices, problems


def _ballot_page(round_area, form, choices, problems, status=200, review=False):
    # Showing the ballot needs the ideas and their photos; voting itself does not.
    round_area = services.area_by_id(round_area.id)
    items = round_area.items
    total = sum(item.cost_cents for item in items if item.id in choices)
    points = sum(choices.values())
    return render_template(
        "rounds/review.html" if review else "rounds/ballot.html",
        round_=round_area.round,
        round_area=round_area,
        items=items,
        form=form,
        choices=choices,
        problems=problems,
        total=total,
        points=points,
    ), status


@bp.route("/stemmen/gebied/<int:round_area_id>", methods=["GET", "POST"])
def ballot(round_area_id):
    """The ballot: check, review and confirm; the server checks every rule."""
    round_area = services.area_for_voting(round_area_id)
    if round_area is None:
        abort(404)
    code, is_account = _access(round_area.id)
    if is_account and not current_user.is_authenticated:
        abort(403)
    if services.phase(round_area.round) != Phase.VOTING:
        return render_template(
            "rounds/code_problem.html",
            message=_("Voting is not open in this round."),
            round_=round_area.round,
        ), 409
    form = BallotForm()
    if request.method == "GET":
        return _ballot_page(round_area, form, {}, [])
    if not form.validate_on_submit():
        abort(400)
    choices, problems = _parse_choices(round_area)
    action = request.form.get("action", "check")
    if not problems and action != "confirm":  # cast_ballot checks the ballot itself
        try:
            from buurtbegroting.domain.rounds import BallotProblem, check_ballot

            check_ballot(
                choices, services.item_costs(round_area), services.ballot_rules(round_area)
            )
        except BallotProblem as problem:
            problems.append(str(services.ballot_problem_message(problem)))
    if problems or action == "check":
        return _ballot_page(round_area, form, choices, problems, 422 if problems else 200)
    if action == "review":
        return _ballot_page(round_area, form, choices, [], review=True)
    if action != "confirm":
        abort(400)
    try:
        services.cast_ballot(
            round_area,
            choices,
            code=code,
            user=current_user if is_account else None,
            client_address=request.remote_addr,
        )
    except services.VoteRefused as refused:
        db.session.rollback()
        return _ballot_page(round_area, form, choices, [str(m) for m in refused.messages], 422)
    db.session.commit()
    session.pop("ballot_access", None)
    session["ballot_receipt"] = {"ra": round_area_id, "day": services.today_local().isoformat()}
    return redirect(url_for("rounds.receipt", round_area_id=round_area_id))


@bp.route("/stemmen/bedankt/<int:round_area_id>")
def receipt(round_area_id):
    """Thank the voter and say what happens next."""
    round_area = services.area_for_voting(round_area_id)
    done = session.get("ballot_receipt") or {}
    if round_area is None or done.get("ra") != round_area_id:
        abort(404)
    return render_template(
        "rounds/receipt.html",
        round_=round_area.round,
        round_area=round_area,
        day=date.fromisoformat(done["day"]),
    )


# --- results -------------------------------------------------------------------------------


def _published_area(round_id: int, round_area_id: int) -> RoundArea:
    round_area = services.area_by_id(round_area_id)
    if round_area is None or round_area.round_id != round_id:
        abort(404)
    if round_area.round.published_at is None or round_area.result is None:
        abort(404)
    return round_area


def results_view(round_area: RoundArea) -> dict:
    """Prepare the results of an area for the page and the CSV."""
    result = round_area.result
    by_idea = {str(item.idea_id): item for item in round_area.items}
    rows = []
    for pid, explanation in result["explanation"].items():
        item = by_idea.get(pid)
        if item is None:
            continue
        rows.append(
            {
                "item": item,
                "idea": item.idea,
                "score": explanation["score"],
                "selected": explanation["selected"],
                "step": explanation.get("step"),
                "phase": explanation.get("phase"),
                "reason": explanation["reason"],
                "details": explanation.get("details", {}),
            }
        )
    rows.sort(key=lambda r: (not r["selected"], r["step"] or 0, -float(_number(r["score"]))))
    used = sum(r["item"].cost_cents for r in rows if r["selected"])
    eligible = round_area.eligible_count
    if not eligible:
        eligible = (
            db.session.scalar(
                select(func.count(VotingCode.id)).where(
                    VotingCode.round_area_id == round_area.id, VotingCode.status != CodeStatus.VOID
                )
            )
            or None
        )
    return {
        "rows": rows,
        "used": used,
        "left": round_area.budget_cents - used,
        "ballots": round_area.ballot_count or 0,
        "eligible": eligible,
        "max_score": max([float(_number(r["score"])) for r in rows] or [0]),
    }


def _number(value) -> float:
    if isinstance(value, str) and "/" in value:
        top, bottom = value.split("/", 1)
        return int(top) / int(bottom)
    return float(value or 0)


@bp.route("/rondes/<int:round_id>/uitslag")
def results(round_id):
    """Results of every area of a closed round."""
    round_ = _round(round_id)
    if round_.published_at is None:
        return render_template(
            "rounds/no_results.html", round_=round_, phase=services.phase(round_)
        )
    areas = [services.area_by_id(ra.id) for ra in round_.areas]
    return render_template(
        "rounds/results.html",
        round_=round_,
        areas=[(ra, results_view(ra)) for ra in areas],
        reason_text=reason_text,
    )


@bp.route("/rondes/<int:round_id>/uitslag/<int:round_area_id>.csv")
def results_csv(round_id, round_area_id):
    """Download the results of an area as CSV."""
    round_area = _published_area(round_id, round_area_id)
    view = results_view(round_area)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["idea_id", "title", "cost_eur", "score", "selected", "order", "reason"])
    for row in view["rows"]:
        writer.writerow(
            [
                row["idea"].id,
                row["idea"].title,
                f"{row['item'].cost_cents / 100:.2f}",
                row["score"],
                1 if row["selected"] else 0,
                row["step"] or "",
                row["reason"],
            ]
        )
    filename = f"uitslag-{round_area.round_id}-{round_area.area.code}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/rondes/<int:round_id>/uitslag/<int:round_area_id>.pb")
def results_pb(round_id, round_area_id):
    """Download the anonymous ballots of an area in the Pabulib format, to recount."""
    round_area = _published_area(round_id, round_area_id)
    filename = f"{round_area.round_id}-{round_area.area.code}.pb"
    return Response(
        round_area.pb_file,
        mimetype="text/plain",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-SHA256": round_area.pb_sha256,
        },
    )


def reason_text(row) -> str:
    """Explain in plain language why an idea was or was not chosen."""
    from flask_babel import format_currency

    d = row["details"]

    def euros(key):
        return format_currency(_number(d.get(key, 0)), "EUR")

    reason = row["reason"]
    if reason == "selected":
        if row.get("phase") == "completion":
            return _(
                "Chosen as number %(n)s: after the equal shares, it still fitted in the budget that was left.",
                n=row["step"],
            )
        if d.get("payment_per_supporter") is not None:
            return _(
                "Chosen as number %(n)s: its supporters could pay for it together.", n=row["step"]
            )
        return _("Chosen as number %(n)s.", n=row["step"])
    if reason == "did_not_fit":
        return _(
            "Not chosen: it costs %(cost)s, but only %(left)s was left when its turn came.",
            cost=euros("cost"),
            left=euros("remaining_budget"),
        )
    if reason == "below_threshold":
        return _("Not chosen: too few voters chose it to reach the minimum.")
    if reason == "not_reached":
        return _("Not chosen: counting stopped before its turn.")
    if reason == "mes_unaffordable":
        return _(
            "Not chosen: its supporters could still pay %(could)s of its cost of %(cost)s, and it did not fit afterwards either.",
            could=euros("supporters_budget"),
            cost=euros("cost"),
        )
    if reason == "no_supporters":
        return _("Not chosen: nobody voted for it.")
    if reason == "withdrawn":
        return _("Withdrawn.")
    return reason
