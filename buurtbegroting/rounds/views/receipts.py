"""Receipt numbers: check that a ballot was counted, and the published list per area."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from buurtbegroting.rendering import render_form
from buurtbegroting.rounds import bp
from buurtbegroting.rounds.forms import ReceiptForm
from buurtbegroting.rounds.views.common import _round
from buurtbegroting.rounds.views.results import _published_area


def _counted_in(round_, number: str):
    """Return the area of the round whose published list holds the number, or None."""
    for round_area in round_.areas:
        if number in (round_area.receipt_numbers or "").split("\n"):
            return round_area
    return None


@bp.route("/rondes/<int:round_id>/ontvangstnummer")
def receipt_check(round_id):
    """Let a voter check with their receipt number that their ballot was counted."""
    round_ = _round(round_id)
    form = ReceiptForm(request.args)
    published = round_.published_at is not None
    if "number" not in request.args:
        return render_template(
            "rounds/receipt_check.html", round_=round_, form=form, published=published
        )
    if not form.validate():
        return render_form(
            "rounds/receipt_check.html", round_=round_, form=form, published=published
        )
    found = _counted_in(round_, form.number.data) if published else None
    return render_template(
        "rounds/receipt_check.html",
        round_=round_,
        form=form,
        published=published,
        checked=form.number.data,
        found=found,
    )


@bp.route("/rondes/<int:round_id>/uitslag/<int:round_area_id>-ontvangstnummers.txt")
def receipt_list(round_id, round_area_id):
    """Download the sorted receipt numbers of the counted ballots of an area."""
    round_area = _published_area(round_id, round_area_id)
    if round_area.receipt_numbers is None:
        abort(404)
    text = round_area.receipt_numbers + ("\n" if round_area.receipt_numbers else "")
    filename = f"{round_area.round_id}-{round_area.area.code}-ontvangstnummers.txt"
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
