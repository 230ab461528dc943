"""Following ideas, areas and groups, and being told about them by e-mail.

- ``notify``: ``notify(event, obj, actor)``, called where something happens (status
  changes, progress updates, closing a round, cheque outcomes); it only queues.
- ``digest``: the weekly digest and the notices that depend on the date (routines).
- ``services``: follow, unfollow, settings per kind of news, unsubscribe, newsletters.
- ``tokens``: the signed one-click unsubscribe link (RFC 8058), no login needed.

Residents' pages under /volgen/... and /account/meldingen; the newsletter form under
/beheer/nieuwsbrief/... (a nested blueprint, guarded once).
"""

from flask import Blueprint

bp = Blueprint("follows", __name__)
newsletter_bp = Blueprint("newsletter", __name__, url_prefix="/beheer/nieuwsbrief")

from buurtbegroting.follows import views  # noqa: E402,F401  (registers the routes)

bp.register_blueprint(newsletter_bp)
