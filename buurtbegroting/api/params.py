"""Query parameters, paging and errors of the API: bad input gets a 400 in JSON."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask import abort, jsonify, request
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from buurtbegroting import areas as area_tree
from buurtbegroting.api import bp
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
)
from buurtbegroting.pagination import Page
from buurtbegroting.urls import external_url

DEFAULT_PER_PAGE, MAX_PER_PAGE = 20, 100


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _bad_request(message: str):
    response = jsonify({"error": "bad_request", "message": message})
    response.status_code = 400
    abort(response)


def _int_arg(name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    if not re.fullmatch(r"[0-9]{1,6}", raw):
        _bad_request(f"{name} must be a whole number")
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        _bad_request(
            f"{name} must be between {minimum} and {maximum}"
            if maximum is not None
            else f"{name} must be at least {minimum}"
        )
    return value


def _page() -> Page:
    return Page(
        items=[],
        total=0,
        page=_int_arg("page", 1, 1),
        per_page=_int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )


def _paginated(items: list, total: int, page: Page):
    following = None
    if page.offset + len(items) < total:
        args = {**request.args.to_dict(), "page": page.page + 1, "per_page": page.per_page}
        following = external_url(request.endpoint, **(request.view_args or {}), **args)
    return jsonify(
        {
            "data": items,
            "page": page.page,
            "per_page": page.per_page,
            "total": total,
            "next": following,
        }
    )


def _area_filter() -> list[int] | None:
    code = request.args.get("area")
    if not code:
        return None
    area_id = db.session.scalar(select(Area.id).where(Area.code == code.strip().upper()))
    if area_id is None:
        _bad_request("unknown area code")
    return sorted(area_tree.subtree_ids(area_id))


@bp.after_request
def open_data_headers(response):
    """Let any site read the open data; allow caches to keep it a minute."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.setdefault("Cache-Control", "public, max-age=60")
    return response


@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(405)
@bp.errorhandler(HTTPException)
def json_error(error):
    """Answer errors inside the API in JSON, not with an HTML page."""
    if error.response is not None:
        return error.response
    response = jsonify(
        {"error": error.name.lower().replace(" ", "_"), "message": error.description}
    )
    response.status_code = error.code or 500
    return response
