"""Area boundaries: upload a GeoJSON file (CBS or any FeatureCollection), all or nothing."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import _
from flask_login import current_user

from buurtbegroting.admin import bp
from buurtbegroting.admin.messages import MAX_SHOWN_ERRORS
from buurtbegroting.admin.services import boundaries as services
from buurtbegroting.domain.boundaries import MAX_BYTES
from buurtbegroting.extensions import db
from buurtbegroting.maps.forms import BoundaryImportForm
from buurtbegroting.maps.labels import feature_message, file_message
from buurtbegroting.permissions import can_edit_area_tree, require
from buurtbegroting.rendering import render_form


@bp.route("/gebieden/grenzen-importeren", methods=["GET", "POST"])
def import_boundaries():
    """Set the boundaries of areas from a GeoJSON file; list every rejected feature."""
    require(can_edit_area_tree(current_user))
    form = BoundaryImportForm()
    errors: list[tuple[int, str, str]] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            data = upload.stream.read(MAX_BYTES + 1)
        finally:
            upload.close()
        try:
            summary = services.import_boundaries(
                data,
                current_user,
                code_property=form.code_property.data,
                filename=upload.filename or "",
                max_bytes=MAX_BYTES,
            )
        except services.BoundariesRejected as rejected:
            db.session.rollback()
            if rejected.problem is not None:
                form.file.errors.append(
                    file_message(rejected.problem.code, rejected.problem.params)
                )
            else:
                form.file.errors.append(
                    _(
                        "Nothing was imported: %(count)d features have errors. Correct them and send the file again.",
                        count=len(rejected.errors),
                    )
                )
                errors = [
                    (number, code, feature_message(problem, params))
                    for number, code, problem, params in rejected.errors
                ]
        else:
            db.session.commit()
            flash(
                _(
                    "Boundaries imported: %(added)d added, %(replaced)d replaced, %(unchanged)d unchanged.",
                    added=summary.added,
                    replaced=summary.replaced,
                    unchanged=summary.unchanged,
                ),
                "success",
            )
            return redirect(url_for("admin.areas"))
    return render_form(
        "admin/boundaries.html",
        form,
        feature_errors=errors[:MAX_SHOWN_ERRORS],
        hidden_errors=max(0, len(errors) - MAX_SHOWN_ERRORS),
        max_mb=MAX_BYTES // (1024 * 1024),
    )
