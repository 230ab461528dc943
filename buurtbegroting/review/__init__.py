"""The municipality's review of ideas: a queue, an assessment, a decision.

The whole blueprint is guarded once: staff who may review.
"""

from flask import Blueprint

from buurtbegroting.permissions import can_review_ideas, guard_blueprint

bp = Blueprint("review", __name__)
guard_blueprint(bp, can_review_ideas)

from buurtbegroting.review import views  # noqa: E402,F401
