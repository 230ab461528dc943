"""The route table: every endpoint with its path, description and parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from buurtbegroting.api import bp
from buurtbegroting.api.endpoints import (
    accountability,
    accountability_item,
    area_plans,
    areas,
    cheque_campaigns,
    dashboard,
    idea,
    ideas,
    indicators,
    round_,
    rounds,
    spearheads,
)
from buurtbegroting.api.params import DEFAULT_PER_PAGE, MAX_PER_PAGE


@dataclass(frozen=True)
class Param:
    """A query parameter of an endpoint."""

    name: str
    description: str
    schema: dict = field(default_factory=lambda: {"type": "string"})


PAGING = (
    Param("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
    Param(
        "per_page",
        "Items per page.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    ),
)


AREA = Param("area", "CBS code of an area; includes the areas inside it.")


@dataclass(frozen=True)
class Route:
    """One endpoint: its path (Flask syntax), view, description and parameters."""

    path: str
    endpoint: str
    view: Any
    summary: str
    tag: str
    paginated: bool = True
    params: tuple[Param, ...] = ()


ROUTES = (
    Route("/areas", "areas", areas, "Areas (municipality, districts, neighbourhoods)", "areas"),
    Route("/area-plans", "area_plans", area_plans, "Area plans", "plans", params=(AREA,)),
    Route("/spearheads", "spearheads", spearheads, "Spearheads of area plans", "plans"),
    Route("/indicators", "indicators", indicators, "Area-monitor figures", "plans", params=(AREA,)),
    Route(
        "/ideas",
        "ideas",
        ideas,
        "Public ideas",
        "ideas",
        params=(AREA, Param("status", "Only ideas in this status.")),
    ),
    Route("/ideas/<int:idea_id>", "idea", idea, "One public idea", "ideas", paginated=False),
    Route("/rounds", "rounds", rounds, "Budget rounds (results once published)", "rounds"),
    Route("/rounds/<int:round_id>", "round", round_, "One budget round", "rounds", paginated=False),
    Route(
        "/cheque-campaigns",
        "cheque_campaigns",
        cheque_campaigns,
        "Cheque campaign statistics",
        "cheques",
    ),
    Route(
        "/accountability",
        "accountability",
        accountability,
        "Funded ideas: budget, spent, returned, progress",
        "accountability",
        params=(AREA,),
    ),
    Route(
        "/accountability/<int:idea_id>",
        "accountability_item",
        accountability_item,
        "Accountability of one funded idea",
        "accountability",
        paginated=False,
    ),
    Route(
        "/dashboard", "dashboard", dashboard, "Dashboard figures", "accountability", paginated=False
    ),
)


for _route in ROUTES:
    bp.add_url_rule(_route.path, _route.endpoint, _route.view)
