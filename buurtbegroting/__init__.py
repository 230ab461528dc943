"""Buurtbegroting: participatory budgeting for Dutch municipalities.

Flask is imported inside :func:`create_app` only, so that the pure packages
(``buurtbegroting.tally``, ``buurtbegroting.domain``) load without it.
"""


def create_app(config_class=None):
    """Build the Flask application."""
    from buurtbegroting.factory import build_app

    return build_app(config_class)
