"""Redeem cheque codes for an initiative (public, no account needed)."""

from __future__ import annotations

from flask import (
    jsonify,
    render_template,
    request,
)
from flask_babel import _
from flask_login import current_user
from sqlalchemy import select

from buurtbegroting.cheques import bp, rules, services
from buurtbegroting.cheques.forms import (
    RedeemForm,
)
from buurtbegroting.cheques.labels import IDEA_MESSAGES, code_message
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db, limiter
from buurtbegroting.forms import area_choices, int_or_none
from buurtbegroting.models import Idea
from buurtbegroting.permissions import (
    can_view_idea,
)
from buurtbegroting.throttle import client_key


def _client_key() -> str:
    return client_key()


def _area_choices(form: RedeemForm) -> None:
    form.area_id.choices = area_choices(services.scope_choices(), empty=_("All areas"), key=int)


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
    if stage in ("confirm", "done") and context.get("idea") is not None:
        context["progress"] = services.progress(context["idea"], current_user)
    return render_template(
        "cheques/redeem.html", stage=stage, form=form, code_message=code_message, **context
    ), status


def _collecting(idea: Idea | None) -> bool:
    return idea is not None and not rules.idea_problem(services.idea_facts(idea), today_nl())


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
        today=today_nl(),
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
            problem = rules.idea_problem(services.idea_facts(idea), today_nl())
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
        progress=services.progress_of(ideas),
        error=error,
    )


def _give(form: RedeemForm, typed: list[str], idea: Idea | None):
    outcome = services.redeem_and_commit(
        typed, idea.id if idea else None, client_key=_client_key(), today=today_nl()
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
        today=today_nl(),
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
