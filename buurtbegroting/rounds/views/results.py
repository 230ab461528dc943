"""The results of an area: the chosen ideas with the reason for each, CSV and Pabulib files."""

from __future__ import annotations

import io

from flask import (
    Response,
    abort,
    render_template,
)
from sqlalchemy import func, select

from buurtbegroting import csvfile
from buurtbegroting.extensions import db
from buurtbegroting.models import CodeStatus, RoundArea, VotingCode
from buurtbegroting.rounds import bp, services
from buurtbegroting.rounds.labels import reason_text, score_number
from buurtbegroting.rounds.views.common import _round


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
    rows.sort(key=lambda r: (not r["selected"], r["step"] or 0, -float(score_number(r["score"]))))
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
        "max_score": max([float(score_number(r["score"])) for r in rows] or [0]),
    }


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
    writer = csvfile.writer(out, delimiter=";", lineterminator="\r\n")
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
