"""Ideas: submit, edit, browse, support, share and print."""

from flask import Blueprint

bp = Blueprint("ideas", __name__)
