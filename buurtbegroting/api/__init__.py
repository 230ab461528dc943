"""The read-only JSON API under /api/v1: one route table drives the routes and the OpenAPI document.

``routes`` holds the table, ``endpoints`` the views (each reads and serialises one kind of
public data), ``serialisers`` the JSON shapes, ``params`` the query parameters and paging,
``openapi`` the OpenAPI document built from the table.
"""

from flask import Blueprint

bp = Blueprint("api", __name__)

from buurtbegroting.api import openapi, routes  # noqa: E402,F401  (registers the routes)
