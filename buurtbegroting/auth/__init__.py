"""Accounts: register, log in and out, reset a password, change settings."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from buurtbegroting.auth import views  # noqa: E402,F401
