"""The OpenAPI document, built from the route table."""

from __future__ import annotations

import re

from flask import current_app, jsonify

from buurtbegroting.api import bp
from buurtbegroting.api.routes import PAGING, ROUTES
from buurtbegroting.urls import external_url


def _openapi_path(path: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)


def openapi_document(server_url: str) -> dict:
    """Build the OpenAPI 3.1 document from the route table."""
    paths: dict[str, dict] = {}
    for route in ROUTES:
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
            for name in re.findall(r"<(?:\w+:)?(\w+)>", route.path)
        ]
        for param in (*(PAGING if route.paginated else ()), *route.params):
            parameters.append(
                {
                    "name": param.name,
                    "in": "query",
                    "required": False,
                    "description": param.description,
                    "schema": param.schema,
                }
            )
        schema = {
            "$ref": "#/components/schemas/Page" if route.paginated else "#/components/schemas/Item"
        }
        responses = {
            "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
            "400": {"$ref": "#/components/responses/Error"},
        }
        if not route.paginated and "<" in route.path:
            responses["404"] = {"$ref": "#/components/responses/Error"}
        paths[_openapi_path(route.path)] = {
            "get": {
                "operationId": route.endpoint,
                "summary": route.summary,
                "description": (route.view.__doc__ or "").strip(),
                "tags": [route.tag],
                "parameters": parameters,
                "responses": responses,
            }
        }
    paths["/openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "summary": "This OpenAPI document",
            "tags": ["meta"],
            "responses": {"200": {"description": "OK", "content": {"application/json": {}}}},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"Buurtbegroting {current_app.config['MUNICIPALITY_NAME']} open data",
            "version": "1",
            "description": (
                "Read-only open data: areas, area plans, spearheads, indicators, ideas, budget "
                "rounds, cheque campaigns and accountability. No personal data. Money is in "
                "euro cents; dates are ISO 8601."
            ),
            "license": {"name": "CC0-1.0", "identifier": "CC0-1.0"},
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": {
                "Page": {
                    "type": "object",
                    "required": ["data", "page", "per_page", "total", "next"],
                    "properties": {
                        "data": {"type": "array", "items": {"type": "object"}},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "total": {"type": "integer"},
                        "next": {"type": ["string", "null"], "format": "uri"},
                    },
                },
                "Item": {
                    "type": "object",
                    "required": ["data"],
                    "properties": {"data": {"type": "object"}},
                },
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                },
            },
            "responses": {
                "Error": {
                    "description": "Bad request or not found",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }


@bp.route("/openapi.json")
def openapi():
    """Serve the OpenAPI document of this API."""
    return jsonify(openapi_document(external_url("api.areas").rsplit("/areas", 1)[0]))
