"""Accountability: what happened with the money of a funded idea.

The initiators' workspace under /ideeen/<id>/verantwoording, the public overviews and
dashboard, and the coordinators' pages under /beheer/verantwoording (guarded once).
"""

from flask import Blueprint

bp = Blueprint("accountability", __name__)
manage = Blueprint("manage", __name__)

from buurtbegroting.accountability import views  # noqa: E402,F401  (registers the routes)

bp.register_blueprint(manage, url_prefix="/beheer/verantwoording")
