"""The administration: areas, postcodes, area plans, indicators, users, log and outbox.

The whole blueprint is guarded once (staff only); each page asks its own rule too.
"""

from flask import Blueprint

from buurtbegroting.permissions import can_access_admin, guard_blueprint

bp = Blueprint("admin", __name__)
guard_blueprint(bp, can_access_admin)

#: Rows per page of every administration list.
PER_PAGE = 50

from buurtbegroting.admin import views  # noqa: E402,F401
