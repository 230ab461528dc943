"""Public overviews of funded ideas, and the municipal dashboard with its CSV files."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    render_template,
    request,
)
from flask_babel import _
from sqlalchemy import select
from wtforms import SelectChoice

from buurtbegroting.accountability import bp, export, queries
from buurtbegroting.accountability.forms import (
    OverviewFilterForm,
)
from buurtbegroting.areas import subtree_ids
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    Spearhead,
)


def _overview(rows, *, title, area=None, spearhead=None, form=None):
    districts: dict[str, list] = {}
    for row in rows:
        district = row.idea.area
        while district.parent is not None and district.level.value == "neighbourhood":
            district = district.parent
        districts.setdefault(district.name, []).append(row)
    return render_template(
        "accountability/overview.html",
        rows=rows,
        groups=sorted(districts.items()),
        title=title,
        area=area,
        spearhead=spearhead,
        form=form,
        funded=sum(r.funding.amount_cents for r in rows),
        spent=sum(r.spent_cents for r in rows),
    )


@bp.route("/verantwoording")
def overview():
    """Funded ideas with their progress, budget against spent and status; filter by area or spearhead."""
    form = OverviewFilterForm(request.args)
    areas = queries.filter_areas()
    form.gebied.choices = [SelectChoice(0, _("All areas"))] + [
        SelectChoice(a.id, a.name if a.level.value == "district" else f"— {a.name}") for a in areas
    ]
    from buurtbegroting.ideas.services import filter_spearheads

    spearheads = filter_spearheads()
    form.speerpunt.choices = [SelectChoice(0, _("All spearheads"))] + [
        SelectChoice(s.id, f"{s.title} ({s.plan.area.name})") for s in spearheads
    ]
    form.validate()
    area_id = form.gebied.data if form.gebied.data in {a.id for a in areas} else None
    spearhead_id = (
        form.speerpunt.data if form.speerpunt.data in {s.id for s in spearheads} else None
    )
    rows = queries.funding_rows(
        area_ids=sorted(subtree_ids(area_id)) if area_id else None, spearhead_id=spearhead_id
    )
    return _overview(rows, title=_("What happened with the money"), form=form)


@bp.route("/verantwoording/gebied/<code>")
def area_overview(code):
    """Funded ideas of one area (and the areas in it)."""
    area = db.session.scalar(select(Area).where(Area.code == code.upper()))
    if area is None:
        abort(404)
    rows = queries.funding_rows(area_ids=sorted(subtree_ids(area.id)))
    return _overview(rows, title=_("Funded ideas in %(name)s", name=area.name), area=area)


@bp.route("/verantwoording/speerpunt/<int:spearhead_id>")
def spearhead_overview(spearhead_id):
    """Funded ideas that serve one spearhead."""
    spearhead = db.get_or_404(Spearhead, spearhead_id)
    rows = queries.funding_rows(spearhead_id=spearhead.id)
    return _overview(
        rows, title=_("Funded ideas for %(title)s", title=spearhead.title), spearhead=spearhead
    )


def _dashboard():
    return queries.dashboard(own_theme_label=_("Own theme (no spearhead)"))


@bp.route("/dashboard")
def dashboard():
    """The municipal dashboard: money per spearhead and per area, ideas per status, participation."""
    return render_template("accountability/dashboard.html", d=_dashboard())


@bp.route("/dashboard/<name>.csv")
def dashboard_csv(name):
    """Download a table of the dashboard as CSV for Dutch spreadsheets (UTF-8 with BOM, semicolons)."""
    if name not in export.CSV_TABLES:
        abort(404)
    response = Response(export.dashboard_csv(name, _dashboard), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
