"""The ballot and the receipt."""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _, get_locale
from flask_login import current_user
from markupsafe import Markup

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.domain.receipts import new_receipt
from buurtbegroting.domain.rounds import Phase
from buurtbegroting.extensions import db
from buurtbegroting.rounds import bp, kiosk, services
from buurtbegroting.rounds.forms import BallotForm
from buurtbegroting.rounds.services import display, links, quick_cast
from buurtbegroting.rounds.views.access import _access
from buurtbegroting.rounds.views.second_area import remember_home_vote, second_area_offer


def _parse_choices(ballot_type: str) -> tuple[dict[int, int], list[str]]:
    """Read the voter's choices from the form; return (choices, problems)."""
    problems = []
    choices: dict[int, int] = {}
    if ballot_type == "cumulative":
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


def _keep_draft(round_area_id: int, choices: dict[int, int]) -> None:
    """Keep unconfirmed choices in the voter's own (signed) session cookie, not on the server."""
    if kiosk.is_kiosk():
        return  # a shared device keeps no choices
    drafts = dict(session.get("ballot_draft") or {})
    drafts[str(round_area_id)] = sorted([item, points] for item, points in choices.items())
    session["ballot_draft"] = drafts


def _draft(round_area_id: int) -> dict[int, int]:
    """Return the unconfirmed choices kept in the session for this area."""
    kept = (session.get("ballot_draft") or {}).get(str(round_area_id)) or []
    return {int(item): int(points) for item, points in kept}


def _drop_draft(round_area_id: int) -> None:
    drafts = dict(session.get("ballot_draft") or {})
    if drafts.pop(str(round_area_id), None) is not None:
        session["ballot_draft"] = drafts


def _ballot_page(round_area, form, choices, problems, status=200, review=False):
    # The ideas as plain data, kept briefly per process while the ballot is locked.
    items = services.ballot_cards(round_area)
    cards = None if review else _cards_html(round_area, items, choices)
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
        cards=cards,
    ), status


def _cards_html(round_area, items, choices):
    """Return the ballot's idea cards as HTML, each rendered once per process and language.

    A card of an approval or knapsack ballot is either chosen or not, so both forms are kept
    while the ballot is locked; cumulative cards carry the points typed and are rendered anew.
    """
    if round_area.round.ballot_type.value == "cumulative":
        return None
    item_card = get_template_attribute("rounds/_ballot_items.html", "item_card")

    def render():
        return {
            item.id: (
                item_card(round_area.round, item, {}),
                item_card(round_area.round, item, {item.id: 1}),
            )
            for item in items
        }

    rendered = display.kept(f"cards-html:{get_locale()}", round_area, render)
    return Markup("".join(rendered[item.id][item.id in choices] for item in items))


def _with_code(round_area_id: int):
    """Return (area, code) when the session holds a code for this area: one query for both."""
    access = session.get("ballot_access") or {}
    if access.get("ra") != round_area_id or not access.get("code"):
        return None, None
    code = services.code_by_hash(access["code"])
    if code is None:
        abort(403)
    if code.round_area_id == round_area_id:
        return code.round_area, code
    if not code.round_area.round.allows_second_area:
        abort(403)
    return None, code  # the code's one other area (views/second_area.py); the caller loads it


@bp.route("/stemmen/gebied/<int:round_area_id>", methods=["GET", "POST"])
def ballot(round_area_id):
    """The ballot: check, review and confirm; the server checks every rule."""
    if request.method == "POST" and request.form.get("action") == "confirm":
        done = _confirm_quickly(round_area_id)
        if done is not None:
            return done
    round_area, code = _with_code(round_area_id)
    if round_area is None:
        round_area = services.area_for_voting(round_area_id)
    if round_area is None:
        abort(404)
    if code is not None and round_area.round_id != code.round_area.round_id:
        abort(403)
    voted_here = (session.get("ballot_receipt") or {}).get("ra") == round_area.id
    access_ended = (session.get("ballot_access") or {}).get("ra") != round_area.id
    if request.method == "POST" and access_ended and not voted_here:
        # The session ended (or the voter must log in again): keep the choices on the device
        # and send the voter back to the start; the ballot shows them again.
        choices, problems = _parse_choices(round_area.round.ballot_type.value)
        if not problems and BallotForm().validate_on_submit():
            _keep_draft(round_area.id, choices)
            flash(
                _("Your session has ended. Log in or type your code again: your choices are kept.")
            )
        return redirect(url_for("rounds.start", round_id=round_area.round_id))
    is_account = code is None
    if is_account:
        _access(round_area.id)  # 403 unless the session lets this account vote here
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
        return _ballot_page(round_area, form, _draft(round_area.id), [])
    if not form.validate_on_submit():
        abort(400)
    choices, problems = _parse_choices(round_area.round.ballot_type.value)
    action = request.form.get("action", "check")
    if not problems:
        _keep_draft(round_area.id, choices)
    if not problems and action != "confirm":  # cast_ballot checks the ballot itself
        try:
            from buurtbegroting.domain.rounds import BallotProblem, check_ballot

            check_ballot(
                choices, services.ballot_costs(round_area), services.ballot_rules(round_area)
            )
        except BallotProblem as problem:
            problems.append(str(services.ballot_problem_message(problem)))
    if problems or action == "check":
        return _ballot_page(round_area, form, choices, problems, 422 if problems else 200)
    if action == "review":
        return _ballot_page(round_area, form, choices, [], review=True)
    if action != "confirm":
        abort(400)
    receipt_number, round_id = new_receipt(), round_area.round_id
    is_home = (
        code.round_area_id == round_area.id
        if code
        else round_area.id
        in (services.home_area_ids(round_area.round, code=None, user=current_user))
    )
    try:
        services.cast_ballot(
            round_area,
            choices,
            code=code,
            user=current_user if is_account else None,
            receipt=receipt_number,
        )
    except services.VoteRefused as refused:
        db.session.rollback()
        return _ballot_page(round_area, form, choices, [str(m) for m in refused.messages], 422)
    # What the session needs afterwards, read before the commit expires the objects (reading
    # them after it would cost a query a ballot). After the other area the state stays: its
    # page then says it was used.
    home_vote = (round_id, round_area.round.allows_second_area, code and code.code_hash)
    db.session.commit()
    # The network signal in a statement of its own, after the ballot (see record_network).
    services.record_network(round_id, request.remote_addr, own_transaction=True)
    return _cast_done(round_area_id, receipt_number, home_vote if is_home else None)


def _confirm_quickly(round_area_id: int):
    """Cast the plain case, a code voting in its own area, on the quick path.

    Return the response, or None to take the general path (which then checks everything
    again and says what is wrong). The CSRF token was checked before the view (CSRFProtect),
    as ``BallotForm`` would.
    """
    access = session.get("ballot_access") or {}
    if access.get("ra") != round_area_id or not access.get("code"):
        return None
    # No ORM session: a pooled connection of its own (links.link).
    with links.link() as link:
        facts = quick_cast.plain_case(link, round_area_id, access["code"])
        if facts is None:
            return None  # nothing was written
        choices, problems = _parse_choices(quick_cast.ballot_type(facts))
        receipt_number = new_receipt()
        if problems or not quick_cast.cast(link, facts, choices, receipt_number):
            return None  # no ballot was written (SQLite: the link rolls back)
        link.commit()
        # The network signal in a statement of its own, after the ballot (see record_network).
        services.record_network(
            facts.round_id, request.remote_addr, own_transaction=True, link=link
        )
    home_vote = (facts.round_id, facts.allows_second_area, access["code"])
    return _cast_done(round_area_id, receipt_number, home_vote)


def _cast_done(round_area_id: int, receipt_number: str, home_vote):
    """Tell the voter's session that the ballot was cast (and committed); redirect.

    :param home_vote: ``remember_home_vote``'s arguments after a ballot in the home area.
    """
    session.pop("ballot_access", None)
    if home_vote is not None:
        remember_home_vote(*home_vote)
    _drop_draft(round_area_id)
    # The number is shown once, from the voter's own session; the server keeps it only
    # inside the sealed envelope.
    session["ballot_receipt"] = {
        "ra": round_area_id,
        "day": today_nl().isoformat(),
        "number": receipt_number,
    }
    return redirect(url_for("rounds.receipt", round_area_id=round_area_id))


@bp.route("/stemmen/bedankt/<int:round_area_id>")
def receipt(round_area_id):
    """Thank the voter and say what happens next."""
    round_area = services.area_for_voting(round_area_id)
    done = session.get("ballot_receipt") or {}
    if round_area is None or done.get("ra") != round_area_id:
        abort(404)
    page = render_template(
        "rounds/receipt.html",
        round_=round_area.round,
        round_area=round_area,
        day=date.fromisoformat(done["day"]),
        number=done.get("number"),
        second_area=second_area_offer(round_area.round),
        kiosk_done=True,
    )
    if kiosk.is_kiosk():
        kiosk.clear_voter()  # the receipt is the last page of this voter on a shared device
    return page
