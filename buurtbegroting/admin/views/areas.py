"""The area tree, the postcode mapping and the area-monitor figures."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user
from wtforms import SelectChoice

from buurtbegroting.admin import bp, services
from buurtbegroting.admin.forms import (
    AreaForm,
)
from buurtbegroting.admin.views.common import commit_or_show, list_page, searched_list
from buurtbegroting.extensions import db
from buurtbegroting.models import Area
from buurtbegroting.permissions import (
    can_edit_area_tree,
    can_import_indicators,
    require,
)
from buurtbegroting.rendering import render_form


@bp.route("/gebieden")
def areas():
    """Show the area tree: municipality, districts, neighbourhoods."""
    require(can_edit_area_tree(current_user))
    roots, loose = services.area_tree()
    return render_template("admin/areas.html", roots=roots, loose=loose)


@bp.route("/gebieden/<int:area_id>/bewerken", methods=["GET", "POST"])
def edit_area(area_id):
    """Change the name and parent of an area."""
    area = db.get_or_404(Area, area_id)
    require(can_edit_area_tree(current_user))
    form = AreaForm(obj=area)
    parents = services.parent_choices(area)
    form.parent_id.choices = [SelectChoice("", _("(none)"))] if not parents else []
    form.parent_id.choices += [SelectChoice(str(p.id), f"{p.name} ({p.code})") for p in parents]
    if request.method == "GET":
        form.parent_id.data = str(area.parent_id or "")
    if form.validate_on_submit():
        parent = db.session.get(Area, int(form.parent_id.data)) if form.parent_id.data else None
        if commit_or_show(
            form,
            lambda: services.update_area(area, form.name.data, parent, actor=current_user),
            _("The area has been saved."),
        ):
            return redirect(url_for("admin.areas"))
    return render_form("admin/area_edit.html", form, area=area)


@bp.route("/postcodes")
def postcodes():
    """List the postcode → neighbourhood mapping, with search and pages."""
    require(can_edit_area_tree(current_user))
    return searched_list("admin/postcodes.html", services.postcode_query)


@bp.route("/indicatoren")
def indicators():
    """List the area-monitor figures, per area and year."""
    require(can_import_indicators(current_user))
    area_id = request.args.get("area", type=int)
    year = request.args.get("year", type=int)
    return list_page(
        "admin/indicators.html",
        services.indicator_query(area_id, year),
        areas=services.areas_with_indicators(),
        years=services.indicator_years(),
        area_id=area_id,
        year=year,
    )
