"""The CSV imports of areas, postcodes and indicators: one upload form, all or nothing."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from buurtbegroting.admin import bp, services
from buurtbegroting.admin.forms import (
    ImportForm,
)
from buurtbegroting.admin.messages import MAX_SHOWN_ERRORS, file_message, row_message
from buurtbegroting.domain import csv_import
from buurtbegroting.extensions import db
from buurtbegroting.permissions import (
    can_edit_area_tree,
    can_import_indicators,
    require,
)
from buurtbegroting.rendering import render_form

IMPORTS = {
    "areas": {
        "title": _l("Import areas"),
        "columns": ";".join(csv_import.AREA_COLUMNS),
        "example": "code;name;parent_code\nGM0828;Oss;\nWK082803;Ruwaard;GM0828\nBU08280300;Ruwaard-Oost;WK082803",
        "service": services.import_areas,
        "back": "admin.areas",
    },
    "postcodes": {
        "title": _l("Import postcodes"),
        "columns": ";".join(csv_import.POSTCODE_COLUMNS),
        "example": "postcode;area_code\n5344;BU08280300\n5341AB;BU08280301",
        "service": services.import_postcodes,
        "back": "admin.postcodes",
    },
    "indicators": {
        "title": _l("Import indicators"),
        "columns": ";".join(csv_import.INDICATOR_COLUMNS),
        "example": "area_code;name;value;unit;municipal_average;year;source\n"
        "WK082803;Zich eenzaam voelen;48,0;%;44,0;2025;Wijkmonitor",
        "service": services.import_indicators,
        "back": "admin.indicators",
    },
}


def run_import(kind: str, template_context: dict):
    """Handle the upload form of one kind of import: check, import all or nothing, report."""
    spec = IMPORTS[kind]
    form = ImportForm()
    errors: list[tuple[int, str]] = []
    hidden = 0
    if form.validate_on_submit():
        upload = form.file.data
        try:
            data = upload.stream.read(csv_import.MAX_BYTES + 1)
        finally:
            upload.close()
        try:
            summary = spec["service"](data, current_user, filename=upload.filename or "")
        except services.ImportRejected as rejected:
            db.session.rollback()
            if rejected.problem is not None:
                form.file.errors.append(file_message(rejected.problem))
            else:
                form.file.errors.append(
                    _(
                        "Nothing was imported: %(count)d rows have errors. Correct them and send the file again.",
                        count=len(rejected.errors),
                    )
                )
                errors = [
                    (line, row_message(code, params)) for line, code, params in rejected.errors
                ]
                hidden = max(0, len(errors) - MAX_SHOWN_ERRORS)
                errors = errors[:MAX_SHOWN_ERRORS]
        else:
            db.session.commit()
            message = _(
                "Import done: %(created)d added, %(updated)d changed, %(unchanged)d unchanged.",
                created=summary.created,
                updated=summary.updated,
                unchanged=summary.unchanged,
            )
            if summary.layout == "cbs":
                message += " " + _(
                    "%(split)d postcodes have addresses in more than one neighbourhood; they go to the neighbourhood with the most addresses.",
                    split=summary.split,
                )
            flash(message, "success")
            return redirect(url_for(spec["back"]))
    return render_form(
        "admin/import.html",
        form,
        kind=kind,
        spec=spec,
        row_errors=errors,
        hidden_errors=hidden,
        max_mb=csv_import.MAX_BYTES // (1024 * 1024),
        **template_context,
    )


@bp.route("/gebieden/importeren", methods=["GET", "POST"])
def import_areas():
    """Create and update areas from a CSV file."""
    require(can_edit_area_tree(current_user))
    return run_import("areas", {})


@bp.route("/postcodes/importeren", methods=["GET", "POST"])
def import_postcodes():
    """Map postcodes to neighbourhoods from a CSV file (simple or CBS layout)."""
    require(can_edit_area_tree(current_user))
    return run_import("postcodes", {})


@bp.route("/indicatoren/importeren", methods=["GET", "POST"])
def import_indicators():
    """Create and update area-monitor figures from a CSV file."""
    require(can_import_indicators(current_user))
    return run_import("indicators", {})
