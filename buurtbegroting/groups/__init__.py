"""Thematic groups: start, join, leave, coordinate; council advice on ideas."""

from flask import Blueprint

bp = Blueprint("groups", __name__)

from buurtbegroting.groups import views  # noqa: E402,F401
