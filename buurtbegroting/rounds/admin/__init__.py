"""Set up budget rounds: settings, areas with budgets, ballot items, and closing."""

from flask import Blueprint

bp = Blueprint("rounds_admin", __name__)

from buurtbegroting.rounds.admin import (  # noqa: E402,F401  (registers the routes)
    kiosk,
    overrides,
    views,
)
