"""Ideas: submit in steps, edit, browse and search, support, share, print a poster."""

from flask import Blueprint

bp = Blueprint("ideas", __name__)

from buurtbegroting.ideas import views  # noqa: E402,F401
