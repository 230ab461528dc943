"""What the code pages share: no caching, loading a round and its area, refusals at their field."""

from __future__ import annotations

from flask import abort, render_template, request

from buurtbegroting.extensions import db
from buurtbegroting.models import BudgetRound, RoundArea
from buurtbegroting.permissions import (
    guard_blueprint,
    is_admin,
)
from buurtbegroting.rounds import codes
from buurtbegroting.rounds.codes import bp
from buurtbegroting.rounds.codes.forms import area_choices
from buurtbegroting.rounds.services import area_by_id, phase

guard_blueprint(bp, is_admin)


@bp.after_request
def no_store(response):
    """Keep pages with codes and ballots out of every cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _round(round_id: int) -> BudgetRound:
    return db.get_or_404(BudgetRound, round_id)


def _round_area(round_: BudgetRound, round_area_id: int) -> RoundArea:
    round_area = area_by_id(round_area_id)
    if round_area is None or round_area.round_id != round_.id:
        abort(404)
    return round_area


def _round_page(template: str, round_: BudgetRound, status: int = 200, **context):
    """Render a page about the round's codes or paper ballots, which shows the round's phase."""
    return render_template(template, round_=round_, phase=phase(round_), **context), status


def _area_form(form_class, round_: BudgetRound):
    """Return the form (filled in when posted) with the round's areas to choose from."""
    form = form_class(formdata=request.form if request.method == "POST" else None)
    form.round_area_id.choices = area_choices(round_)
    return form


def _refused(form, refused: codes.CodesRefused, default_field: str | None = None) -> None:
    """Put the service's messages at the form field they are about (or at the top)."""
    name = refused.field or default_field
    if name == "choices":
        name = "items" if "items" in form else None
    target = form[name] if name and name in form else None
    messages = [str(m) for m in refused.messages]
    if target is not None:
        target.errors = list(target.errors) + messages
    else:
        form.form_errors.extend(messages)
