"""What the results page, its CSV, the poster and the pack show for one closed area."""

from __future__ import annotations

from sqlalchemy import func, select

from buurtbegroting.extensions import db
from buurtbegroting.models import CodeStatus, RoundArea, VotingCode
from buurtbegroting.rounds.labels import score_number
from buurtbegroting.rounds.results.overrides import effective_winners, overrides_of
from buurtbegroting.rounds.results.turnout import Turnout, ballots_by_way


def _eligible(round_area: RoundArea) -> int | None:
    if round_area.eligible_count:
        return round_area.eligible_count
    return (
        db.session.scalar(
            select(func.count(VotingCode.id)).where(
                VotingCode.round_area_id == round_area.id, VotingCode.status != CodeStatus.VOID
            )
        )
        or None
    )


def results_views(round_areas: list[RoundArea]) -> list[dict]:
    """Prepare the results of closed areas (turnout and overrides in one query each)."""
    ids = [ra.id for ra in round_areas]
    splits = ballots_by_way(ids)
    overrides = overrides_of(ids)
    return [results_view(ra, splits[ra.id], overrides[ra.id]) for ra in round_areas]


def results_view(round_area: RoundArea, split: tuple[int, int], overrides: list) -> dict:
    """Prepare the results of an area: computed rows, turnout, overrides and funded ideas."""
    result = round_area.result
    by_idea = {str(item.idea_id): item for item in round_area.items}
    overridden = {str(o.idea_id): o for o in overrides}
    funded = effective_winners(round_area, overrides)
    rows = []
    for pid, explanation in result["explanation"].items():
        item = by_idea.get(pid)
        if item is None:
            continue
        rows.append(
            {
                "item": item,
                "idea": item.idea,
                "score": explanation["score"],
                "selected": explanation["selected"],
                "step": explanation.get("step"),
                "phase": explanation.get("phase"),
                "reason": explanation["reason"],
                "details": explanation.get("details", {}),
                "override": overridden.get(pid),
                "funded": pid in funded,
            }
        )
    rows.sort(key=lambda r: (not r["selected"], r["step"] or 0, -float(score_number(r["score"]))))
    used = sum(r["item"].cost_cents for r in rows if r["selected"])
    funded_items = [by_idea[pid] for pid in funded if pid in by_idea]
    funded_used = sum(item.cost_cents for item in funded_items)
    titles = {int(pid): item.idea.title for pid, item in by_idea.items()}
    eligible = _eligible(round_area)
    return {
        "rows": rows,
        "used": used,
        "left": round_area.budget_cents - used,
        "ballots": round_area.ballot_count or 0,
        "turnout": Turnout(online=split[0], paper=split[1], eligible=eligible),
        "eligible": eligible,
        "max_score": max([float(score_number(r["score"])) for r in rows] or [0]),
        "overrides": [
            {
                "override": o,
                "title": titles.get(o.idea_id, ""),
                "replacements": [titles.get(i, "") for i in o.replacement_idea_ids],
            }
            for o in overrides
        ],
        "funded": funded_items,
        "funded_used": funded_used,
    }
