"""Voting in one other area of the round, right after the ballot in the own area."""

from __future__ import annotations

from flask import abort, redirect, render_template, session, url_for
from flask_babel import _
from flask_login import current_user

from buurtbegroting.domain.rounds import Phase
from buurtbegroting.models import BudgetRound
from buurtbegroting.rendering import render_form
from buurtbegroting.rounds import bp, kiosk, services
from buurtbegroting.rounds.forms import SecondAreaForm
from buurtbegroting.rounds.views.common import _round

SESSION_KEY = "second_area"


def remember_home_vote(round_id: int, allows_second_area: bool, code_hash: str | None) -> None:
    """After the home ballot, let this visit choose one other area (not on a kiosk).

    :param code_hash: the hash of the code voted with, or None for an account.
    """
    if not allows_second_area or kiosk.is_kiosk():
        session.pop(SESSION_KEY, None)
        return
    session[SESSION_KEY] = {
        "round": round_id,
        "code": code_hash,
        "user": None if code_hash is not None else current_user.get_id(),
    }


def _voter(round_: BudgetRound):
    """Return (code, user) of this visit's home voter for the round, or (None, None)."""
    state = session.get(SESSION_KEY) or {}
    if state.get("round") != round_.id:
        return None, None
    if state.get("code"):
        code = services.code_by_hash(state["code"])
        if code is None or code.round_area.round_id != round_.id:
            return None, None
        return code, None
    if current_user.is_authenticated and current_user.get_id() == state.get("user"):
        return None, current_user
    return None, None


def second_area_offer(round_: BudgetRound) -> bool:
    """Tell whether the receipt offers the one other area of the round."""
    code, user = _voter(round_)
    if code is None and user is None:
        return False
    return (
        services.phase(round_) == Phase.VOTING
        and services.voted_at_home(round_, code=code, user=user)
        and not services.has_second(round_, code=code, user=user)
    )


def _refuse(round_: BudgetRound, message: str, status: int):
    return render_template("rounds/code_problem.html", message=message, round_=round_), status


@bp.route("/stemmen/<int:round_id>/ander-gebied", methods=["GET", "POST"])
def second_area(round_id):
    """Choose the one other area to vote in; then the ballot of that area."""
    round_ = _round(round_id)
    if not round_.allows_second_area:
        abort(404)
    if services.phase(round_) != Phase.VOTING:
        return _refuse(round_, _("Voting is not open in this round."), 409)
    code, user = _voter(round_)
    if code is None and user is None:
        return _refuse(
            round_, _("Vote in your own area first. Then you can choose one other area."), 403
        )
    if services.has_second(round_, code=code, user=user):
        return _refuse(
            round_,
            _(
                "You have already voted in one other area of this round. "
                "You can vote in two areas at most: your own area and one other."
            ),
            409,
        )
    homes = services.home_area_ids(round_, code=code, user=user)
    form = SecondAreaForm()
    form.round_area_id.choices = [
        (ra.id, ra.area.name) for ra in services.other_areas(round_, homes)
    ]
    if form.validate_on_submit():
        session["ballot_access"] = {
            "ra": form.round_area_id.data,
            "code": code.code_hash if code is not None else None,
        }
        return redirect(url_for("rounds.ballot", round_area_id=form.round_area_id.data))
    return render_form("rounds/second_area.html", round_=round_, form=form)
