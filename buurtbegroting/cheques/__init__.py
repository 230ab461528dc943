"""Cheques: residents give Ede Doet-style cheques to initiatives; staff run the campaigns.

Public pages live under /cheques/..., the owner's page under /ideeen/<id>/cheques, and
the administration under /beheer/cheques/... (a nested blueprint, guarded once).
"""

from flask import Blueprint

bp = Blueprint("cheques", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/beheer/cheques")

from buurtbegroting.cheques import views  # noqa: E402,F401  (registers the routes)

bp.register_blueprint(admin_bp)
