"""The municipality's review of ideas."""

from flask import Blueprint

bp = Blueprint("review", __name__)
