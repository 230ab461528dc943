"""Arguments for and against an idea: post, reply, mark helpful, report; moderators decide.

Residents act under /ideeen/<id>/argumenten and /argumenten/<id>/...; the moderation queue
lives under /beheer/argumenten (a nested blueprint, guarded once).
"""

from flask import Blueprint

bp = Blueprint("arguments", __name__)
moderation_bp = Blueprint("moderation", __name__, url_prefix="/beheer/argumenten")

from buurtbegroting.arguments import moderation, views  # noqa: E402,F401  (registers the routes)

bp.register_blueprint(moderation_bp)
