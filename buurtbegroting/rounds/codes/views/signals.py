"""Integrity signals of a round."""

from __future__ import annotations

from flask import (
    current_app,
    render_template,
)
from flask_login import current_user

from buurtbegroting.permissions import (
    can_view_network_signals,
    require,
)
from buurtbegroting.rounds import codes
from buurtbegroting.rounds.codes import bp
from buurtbegroting.rounds.codes.views.common import _round


@bp.route("/<int:round_id>/signalen")
def signals(round_id):
    """Show, per day, the network prefixes with more ballots than the threshold."""
    round_ = _round(round_id)
    require(can_view_network_signals(current_user, round_))
    threshold = current_app.config["ROUND_SIGNAL_THRESHOLD"]
    return render_template(
        "round_codes/signals.html",
        round_=round_,
        days=codes.network_signals(round_, threshold),
        threshold=threshold,
    )
