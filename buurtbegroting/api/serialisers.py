"""The JSON shapes of the API's objects: public data only, never personal data."""

from __future__ import annotations

from typing import Any

from buurtbegroting.accountability import queries as acc_queries
from buurtbegroting.api.params import _iso
from buurtbegroting.models import (
    Idea,
)
from buurtbegroting.urls import external_url


def _idea(idea: Idea, supports: int, detail: bool = False) -> dict:
    data = {
        "id": idea.id,
        "title": idea.title,
        "summary": idea.summary,
        "area_code": idea.area.code,
        "status": idea.status.value,
        "destination": idea.destination.value,
        "spearhead_ids": [s.id for s in idea.spearheads],
        "own_theme": idea.own_theme,
        "group": idea.group.name if idea.group else None,
        "cost_lines": [{"item": c.item, "amount_cents": c.amount_cents} for c in idea.cost_lines],
        "requested_cents": idea.requested_cents,
        "cost_cents": idea.cost_cents,
        "supports": supports,
        "target_cents": idea.target_cents,
        "target_date": _iso(idea.target_date),
        "collected_cents": idea.collected_cents,
        "submitted_at": _iso(idea.submitted_at),
        "latitude": idea.latitude,
        "longitude": idea.longitude,
        "url": external_url("ideas.show", idea_id=idea.id),
    }
    if detail:
        data["description"] = idea.description
        data["location"] = idea.location_text
    return data


def _funding(row: acc_queries.FundingRow) -> dict:
    f = row.funding
    return {
        "idea_id": f.idea_id,
        "title": f.idea.title,
        "area_code": f.idea.area.code,
        "spearhead_ids": [s.id for s in f.idea.spearheads],
        "source": f.source.value,
        "status": f.status.value,
        "funded_at": _iso(f.funded_at),
        "amount_cents": f.amount_cents,
        "spent_cents": row.spent_cents,
        "returned_cents": f.returned_cents,
        "payout_cents": f.payout_cents,
        "payout_on": _iso(f.payout_on),
        "payout_reference": f.payout_reference,
        "planned_end_on": _iso(f.planned_end_on),
        "report_due_on": _iso(f.report_due_on),
        "report_overdue": row.is_overdue,
        "milestones_done": row.milestones_done,
        "milestones_total": row.milestones_total,
    }


def _photo_urls(photos) -> list[str]:
    return [external_url("accountability.photo", photo_id=p.id) for p in photos]


def _scalar(value):
    return value if isinstance(value, str | int | float | bool) or value is None else None


def _published_result(result: dict | None) -> dict:
    """Pass through only the documented keys of a stored round result, and only plain values."""
    if not isinstance(result, dict):
        return {}
    out: dict[str, Any] = {}
    selected = result.get("selected")
    if isinstance(selected, list):
        out["selected"] = [_scalar(v) for v in selected if _scalar(v) is not None]
    if isinstance(result.get("explanation"), str):
        out["explanation"] = result["explanation"]
    for key in ("totals", "scores"):
        value = result.get(key)
        if isinstance(value, dict):
            out[key] = {
                str(k): v
                for k, v in value.items()
                if isinstance(v, int | float) and not isinstance(v, bool)
            }
    return out


def _overrides(rows) -> list[dict]:
    """Serialise the recorded overrides of an area's winners (shown next to the computed result)."""
    return [
        {
            "idea_id": o.idea_id,
            "reason": o.reason,
            "replaced_by": list(o.replacement_idea_ids),
            "at": _iso(o.created_at),
        }
        for o in rows
    ]
