"""The council's evaluation pack of a closed round, as a page and as a PDF."""

from __future__ import annotations

from flask import abort, render_template

from buurtbegroting.rounds import bp
from buurtbegroting.rounds.results import pack_pdf
from buurtbegroting.rounds.results.pack import evaluation_pack
from buurtbegroting.rounds.views.common import _round
from buurtbegroting.rounds.views.results import _download, share_url


def _pack(round_id: int) -> dict:
    round_ = _round(round_id)
    if round_.published_at is None:
        abort(404)
    urls = [
        share_url("rounds.results_pb", round_id=round_.id, round_area_id=ra.id)
        for ra in round_.areas
    ]
    return evaluation_pack(round_, urls)


@bp.route("/rondes/<int:round_id>/evaluatie")
def evaluation(round_id):
    """Show the evaluation pack of a closed round, for the council and the website."""
    return render_template("rounds/evaluation.html", pack=_pack(round_id))


@bp.route("/rondes/<int:round_id>/evaluatie.pdf")
def evaluation_pdf(round_id):
    """Download the evaluation pack of a closed round as a PDF."""
    pack = _pack(round_id)
    return _download(pack_pdf.pack_pdf(pack), "application/pdf", f"evaluatie-{round_id}.pdf")
