"""The administration, guarded once for the whole blueprint."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from buurtbegroting.permissions import can_access_admin, require

bp = Blueprint("admin", __name__)


@bp.before_request
def guard():
    """Send anonymous visitors to the login page; refuse everyone who is not staff."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    require(can_access_admin(current_user))
    return None


@bp.route("/")
def index():
    """Show the start page of the administration."""
    return render_template("admin/index.html")
