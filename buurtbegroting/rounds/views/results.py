"""The results of a round: per area the chosen ideas, turnout, overrides; CSV, .pb and poster."""

from __future__ import annotations

import io

from flask import Response, abort, render_template

from buurtbegroting import csvfile
from buurtbegroting.rounds import bp, services
from buurtbegroting.rounds.labels import reason_text
from buurtbegroting.rounds.results import poster
from buurtbegroting.rounds.results.labels import WHAT_NEXT
from buurtbegroting.rounds.results.page import results_views
from buurtbegroting.rounds.views.common import _round
from buurtbegroting.urls import external_url


def _published_area(round_id: int, round_area_id: int):
    round_area = services.area_by_id(round_area_id)
    if round_area is None or round_area.round_id != round_id:
        abort(404)
    if round_area.round.published_at is None or round_area.result is None:
        abort(404)
    return round_area


def share_url(endpoint: str, **values) -> str:
    """Return the absolute URL to share, on BASE_URL (never on the request's host)."""
    return external_url(endpoint, **values)


def _download(body, mimetype: str, filename: str, **headers) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', **headers},
    )


@bp.route("/rondes/<int:round_id>/uitslag")
def results(round_id):
    """Results of every area of a closed round."""
    round_ = _round(round_id)
    if round_.published_at is None:
        return render_template(
            "rounds/no_results.html", round_=round_, phase=services.phase(round_)
        )
    areas = [services.area_by_id(ra.id) for ra in round_.areas]
    views = results_views(areas)
    return render_template(
        "rounds/results.html",
        round_=round_,
        areas=list(zip(areas, views, strict=True)),
        reason_text=reason_text,
        share_url=share_url("rounds.results", round_id=round_.id),
        what_next=WHAT_NEXT,
    )


@bp.route("/rondes/<int:round_id>/uitslag/<int:round_area_id>.csv")
def results_csv(round_id, round_area_id):
    """Download the results of an area as CSV: computed outcome, overrides and turnout."""
    round_area = _published_area(round_id, round_area_id)
    view = results_views([round_area])[0]
    turnout = view["turnout"]
    out = io.StringIO()
    writer = csvfile.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["idea_id", "title", "cost_eur", "score", "selected", "order", "reason"]
        + ["funded", "override_reason", "ballots_online", "ballots_paper", "ballots_total"]
    )
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
                1 if row["funded"] else 0,
                row["override"].reason if row["override"] else "",
                turnout.online,
                turnout.paper,
                turnout.total,
            ]
        )
    filename = f"uitslag-{round_area.round_id}-{round_area.area.code}.csv"
    return _download("\ufeff" + out.getvalue(), "text/csv", filename)


@bp.route("/rondes/<int:round_id>/uitslag/<int:round_area_id>.pb")
def results_pb(round_id, round_area_id):
    """Download the anonymous ballots of an area in the Pabulib format, to recount."""
    round_area = _published_area(round_id, round_area_id)
    filename = f"{round_area.round_id}-{round_area.area.code}.pb"
    return _download(
        round_area.pb_file, "text/plain", filename, **{"X-Content-SHA256": round_area.pb_sha256}
    )


@bp.route("/rondes/<int:round_id>/uitslag/<int:round_area_id>/poster.pdf")
def results_poster(round_id, round_area_id):
    """Download a printable A4 poster of an area's result, with a QR code to the results page."""
    round_area = _published_area(round_id, round_area_id)
    view = results_views([round_area])[0]
    url = share_url("rounds.results", round_id=round_id, _anchor=f"res-{round_area.id}")
    pdf = poster.results_poster(round_area, view, url)
    return _download(pdf, "application/pdf", f"poster-{round_id}-{round_area.area.code}.pdf")
