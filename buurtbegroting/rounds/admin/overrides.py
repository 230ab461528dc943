"""A recorded override of the winners of a closed area (administrators only)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import _
from flask_login import current_user
from wtforms import SelectChoice

from buurtbegroting.extensions import db
from buurtbegroting.permissions import can_override_result, require
from buurtbegroting.rendering import render_form
from buurtbegroting.rounds import services
from buurtbegroting.rounds.admin import bp
from buurtbegroting.rounds.results import overrides
from buurtbegroting.rounds.results.forms import OverrideForm


@bp.route("/<int:round_id>/gebieden/<int:round_area_id>/uitslag-aanpassen", methods=["GET", "POST"])
def override(round_id, round_area_id):
    """Mark a computed winner as not funded, with a reason; the next idea moves up."""
    round_area = services.area_by_id(round_area_id)
    if round_area is None or round_area.round_id != round_id:
        abort(404)
    require(can_override_result(current_user, round_area.round))
    if round_area.result is None:
        abort(404)
    done = overrides.overrides_of([round_area.id])[round_area.id]
    winners = overrides.effective_winners(round_area, done)
    titles = {str(item.idea_id): item.idea.title for item in round_area.items}
    form = OverrideForm()
    form.idea_id.choices = [SelectChoice(int(pid), titles[pid]) for pid in winners]
    if form.validate_on_submit():
        try:
            row = overrides.override_winner(
                round_area, form.idea_id.data, form.reason.data, current_user
            )
        except services.VoteRefused as refused:
            db.session.rollback()
            form.reason.errors = [str(m) for m in refused.messages]
        else:
            db.session.commit()
            if row.replacement_idea_ids:
                flash(_("Saved. The money goes to the idea(s) that took its place."), "success")
            else:
                flash(_("Saved. No other idea fits in the money that came free."), "success")
            return redirect(url_for("rounds.results", round_id=round_id))
    return render_form(
        "rounds_admin/override.html", round_area=round_area, form=form, done=done, titles=titles
    )
