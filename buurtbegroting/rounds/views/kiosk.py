"""Kiosk mode on the voting pages: the idle check, the template flag and the clean hand-over."""

from __future__ import annotations

from flask import redirect, url_for

from buurtbegroting.rounds import bp, kiosk


@bp.before_app_request
def _kiosk_idle():
    kiosk.idle_check()


@bp.after_app_request
def _kiosk_no_store(response):
    # Nothing a voter saw may come back from a cache for the next voter (back button).
    if kiosk.is_kiosk():
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def is_kiosk() -> bool:
    """Tell templates whether this device is a kiosk (no drafts, idle timer, clean hand-over)."""
    return kiosk.is_kiosk()


@bp.route("/kiosk/opnieuw")
def kiosk_restart():
    """Clear everything of the previous voter on a kiosk and go back to the start."""
    if kiosk.is_kiosk():
        kiosk.clear_voter()
    return redirect(url_for("rounds.index"))
