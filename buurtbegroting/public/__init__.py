"""The public pages: the home page, areas, languages and the static pages."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from buurtbegroting.public import views, wellknown  # noqa: E402,F401
