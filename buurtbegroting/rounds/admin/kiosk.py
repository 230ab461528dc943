"""Mark the device an administrator is using as a voting kiosk, or stop it (audited)."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, url_for
from flask_babel import _
from flask_login import current_user

from buurtbegroting import audit
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.permissions import can_set_kiosk
from buurtbegroting.rendering import render_form
from buurtbegroting.rounds import kiosk
from buurtbegroting.rounds.admin import bp
from buurtbegroting.rounds.forms import KioskForm


def _cookie_options() -> dict:
    return {
        "httponly": True,
        "secure": current_app.config.get("SESSION_COOKIE_SECURE", False),
        "samesite": "Lax",
    }


@bp.route("/kiosk", methods=["GET", "POST"])
def kiosk_setup():
    """Make this device a kiosk: every voter starts clean, everything is cleared after voting."""
    if not can_set_kiosk(current_user):
        abort(403)
    form = KioskForm()
    if form.validate_on_submit():
        label, hours = form.label.data, form.hours.data
        audit.record(
            current_user,
            "kiosk.started",
            object_type="kiosk",
            object_id=label,
            summary=label,
            after={"label": label, "hours": hours},
        )
        db.session.commit()
        flash(_("This device is now a kiosk. Log out before the first voter comes."), "success")
        response = make_response(redirect(url_for("rounds_admin.kiosk_setup")))
        response.set_cookie(
            kiosk.COOKIE,
            kiosk.cookie_value(label, hours),
            max_age=hours * 3600,
            **_cookie_options(),
        )
        return response
    return render_form(
        "rounds_admin/kiosk.html", form=form, stop=ConfirmForm(), label=kiosk.kiosk_label()
    )


@bp.route("/kiosk/stoppen", methods=["POST"])
def kiosk_stop():
    """Stop being a kiosk on this device."""
    if not can_set_kiosk(current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    label = kiosk.kiosk_label()
    if label is not None:
        audit.record(
            current_user,
            "kiosk.stopped",
            object_type="kiosk",
            object_id=label,
            summary=label,
            before={"label": label},
        )
        db.session.commit()
    flash(_("This device is no longer a kiosk."), "success")
    response = make_response(redirect(url_for("rounds_admin.kiosk_setup")))
    response.delete_cookie(kiosk.COOKIE, **_cookie_options())
    return response
