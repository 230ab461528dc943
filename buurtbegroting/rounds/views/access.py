"""Getting to the ballot: with the code from the letter, or with an account."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _
from flask_login import current_user, login_required
from sqlalchemy import select

from buurtbegroting.domain.rounds import Phase
from buurtbegroting.extensions import db
from buurtbegroting.models import CodeStatus, VotingCode
from buurtbegroting.rendering import render_form
from buurtbegroting.rounds import bp, kiosk, services
from buurtbegroting.rounds.forms import BirthDateForm, CodeForm
from buurtbegroting.rounds.services import links, quick_cast
from buurtbegroting.rounds.views.common import _code_limit_key, _failed, _round
from buurtbegroting.throttle import VOTING_CODES


def _grant(round_area_id: int, *, code_hash: str | None = None) -> None:
    """Let this visit vote in the area: with the code of this hash, or with the account."""
    if kiosk.is_kiosk() and code_hash is not None:
        # A new voter with a code at a shared device: nothing of the one before stays.
        kiosk.clear_voter()
    session["ballot_access"] = {"ra": round_area_id, "code": code_hash}


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
@VOTING_CODES.guard(_code_limit_key, _failed)
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
            _grant(code.round_area_id, code_hash=code.code_hash)
            return redirect(url_for("rounds.ballot", round_area_id=code.round_area_id))
    account_areas = []
    if current_user.is_authenticated and round_.identification.value != "code":
        account_areas = services.account_areas(round_, current_user)
    return render_form(
        "rounds/start.html",
        round_=round_,
        form=form,
        phase=current,
        Phase=Phase,
        account_areas=account_areas,
    )


@bp.route("/stem", methods=["GET", "POST"])
@VOTING_CODES.guard(_code_limit_key, _failed)
def code_link():
    """The link in the QR code on the letter: ``/stem#CODE``, the code never in the request line.

    The code is in the fragment, which a browser never sends. A small script
    (static/js/code-link.js) puts it in the form and posts it; without the script the voter
    types the code from the letter. Only the POST body carries the code, so it stays out of
    access logs.
    """
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        found, message, status = _code_for_link(form.code.data)
        if found is not None:
            _grant(found.round_area_id, code_hash=found.code_hash)
            return redirect(url_for("rounds.ballot", round_area_id=found.round_area_id))
        form.code.errors.append(message)
    elif request.method == "POST":
        status = 422
    return render_template("rounds/code_link.html", form=form), status


def _code_for_link(text: str) -> tuple[object | None, str, int]:
    """Find a typed or scanned code of any round; return (code's facts, message, status).

    The facts are ``quick_cast.code_facts``: one light query, no ORM objects.
    """
    from buurtbegroting.domain.codes import InvalidCode, normalize_code

    unknown = _("We do not know this code. Check it, or ask the municipality for help.")
    try:
        normalized = normalize_code(text)
    except InvalidCode:
        return None, unknown, 404
    with links.link() as link:
        found = quick_cast.code_facts(link, services.voting_code_hash(normalized))
    if found is None:
        return None, unknown, 404
    if services.phase(found) != Phase.VOTING:
        return None, _("Voting is not open in this round."), 409
    refusal = services.code_refusal(CodeStatus(found.status), found.allow_ballot_changes)
    if refusal is not None:
        return None, str(refusal), 409
    return found, "", 200


@bp.route("/stem/<code>")
def old_code_link(code):
    """Links of letters printed before codes left the path: move the code to the fragment.

    The request that reaches this page has the code in its path, so it is in the access log
    already (README: keep ``/stem/`` paths out of the log); the page itself keeps nothing.
    """
    response = redirect(url_for("rounds.code_link") + "#" + quote(code, safe="-"), code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


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
            return render_form(
                "rounds/birth_date.html", round_=round_, round_area=round_area, form=form
            )
    try:
        services.check_account(round_area, current_user)
    except services.VoteRefused as refused:
        return render_template(
            "rounds/code_problem.html", message=str(refused.messages[0]), round_=round_
        ), 403
    # Only "this account opened the ballot" (for one reminder), never what it chooses.
    services.mark_started(round_, current_user)
    db.session.commit()
    _grant(round_area.id)
    return redirect(url_for("rounds.ballot", round_area_id=round_area.id))
