"""The council's evaluation pack of a closed round: turnout, money, ideas and the rule.

Ages are known only for account voters who gave a birth date (the ballot itself never holds
an age; see docs/security.md): they are counted from the "account voted" marks, in bands,
and every cell under MIN_CELL voters is suppressed. Code and paper voters' ages are not known.
"""

from __future__ import annotations

from collections import Counter

from flask_babel import _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from buurtbegroting.areas import subtree_ids
from buurtbegroting.domain.dates import NL_ZONE
from buurtbegroting.domain.turnout import AGE_BANDS, MIN_CELL, age_band, suppress_row
from buurtbegroting.extensions import db
from buurtbegroting.ideas.labels import STATUS_LABELS
from buurtbegroting.models import BudgetRound, Idea, IdeaStatus, Indicator, RoundVoter, User
from buurtbegroting.rounds import services
from buurtbegroting.rounds.results.page import results_views
from buurtbegroting.rounds.results.register import register_text, rule_text

#: Indicator names of the area monitor that hold the number of inhabitants.
INHABITANT_NAMES = ("inwoners", "aantal inwoners", "inhabitants", "population", "bevolking")


def inhabitants(area_ids: list[int]) -> dict[int, int]:
    """Return the latest number of inhabitants per area from the area monitor."""
    rows = db.session.execute(
        select(Indicator.area_id, Indicator.value, Indicator.year)
        .where(Indicator.area_id.in_(area_ids), func.lower(Indicator.name).in_(INHABITANT_NAMES))
        .order_by(Indicator.year)
    ).all()
    return {area_id: int(value) for area_id, value, _year in rows}


def _percent(part: int, whole: int | None) -> float | None:
    return 100 * part / whole if whole else None


def _turnout_rows(areas, views) -> list[dict]:
    people = inhabitants([ra.area_id for ra in areas])
    accounts = dict(
        db.session.execute(
            select(RoundVoter.round_area_id, func.count())
            .where(RoundVoter.round_area_id.in_([ra.id for ra in areas]))
            .group_by(RoundVoter.round_area_id)
        ).all()
    )
    rows = []
    for ra, view in zip(areas, views, strict=True):
        turnout = view["turnout"]
        by_account = min(accounts.get(ra.id, 0), turnout.online)
        # The online total is published: hiding one of the two would give it away.
        code, account = suppress_row([turnout.online - by_account, by_account])
        rows.append(
            {
                "area": ra.area,
                "inhabitants": people.get(ra.area_id),
                "eligible": turnout.eligible,
                "online": turnout.online,
                "paper": turnout.paper,
                "total": turnout.total,
                "of_inhabitants": _percent(turnout.total, people.get(ra.area_id)),
                "of_eligible": turnout.percent,
                "account": account,
                "code": code,
            }
        )
    return rows


def _age_rows(round_: BudgetRound, areas, total: int) -> dict:
    day = (round_.closed_at or round_.voting_closes_at).astimezone(NL_ZONE).date()
    births = db.session.scalars(
        select(User.birth_date)
        .join(RoundVoter, RoundVoter.user_id == User.id)
        .where(RoundVoter.round_area_id.in_([ra.id for ra in areas]), User.birth_date.is_not(None))
    ).all()
    counts = Counter(age_band(b, day) for b in births)
    known = sum(n for band, n in counts.items() if band is not None)
    # The bands and "not known" add up to the published number of ballots.
    *shown, unknown = suppress_row(
        [counts.get(band, 0) for band in AGE_BANDS] + [max(total - known, 0)]
    )
    return {
        "bands": [
            {"low": low, "high": high, "count": count}
            for (low, high), count in zip(AGE_BANDS, shown, strict=True)
        ],
        "unknown": unknown,
        "minimum": MIN_CELL,
    }


def _money(areas, views) -> dict:
    per_spearhead: Counter[str] = Counter()
    per_area = []
    for ra, view in zip(areas, views, strict=True):
        per_area.append({"area": ra.area, "budget": ra.budget_cents, "funded": view["funded_used"]})
        for item in view["funded"]:
            names = [s.title for s in item.idea.spearheads] or [_("Own theme")]
            for name in names:
                per_spearhead[name] += item.cost_cents
    return {"areas": per_area, "spearheads": sorted(per_spearhead.items())}


def _stages(round_: BudgetRound, areas, views) -> list[tuple[str, int]]:
    on_ballot = {item.idea_id for ra in areas for item in ra.items}
    area_ids = subtree_ids([ra.area_id for ra in areas])
    ideas = db.session.scalars(
        select(Idea).where(
            Idea.status != IdeaStatus.DRAFT,
            or_(
                Idea.id.in_(on_ballot),
                Idea.area_id.in_(area_ids)
                & Idea.submitted_at.between(round_.submission_opens_at, round_.voting_closes_at),
            ),
        )
    ).all()
    by_status = Counter(idea.status for idea in ideas)
    chosen = sum(len(view["funded"]) for view in views)
    rows = [(_("Submitted"), len(ideas))]
    rows += [(str(STATUS_LABELS[s]), by_status[s]) for s in IdeaStatus if by_status.get(s)]
    rows += [(_("On the ballot"), len(on_ballot)), (_("Chosen and funded"), chosen)]
    return rows


def evaluation_pack(round_: BudgetRound, pb_urls: list[str]) -> dict:
    """Gather everything of the evaluation pack of a closed round."""
    areas = [services.area_by_id(ra.id) for ra in round_.areas]
    for ra in areas:
        db.session.scalars(
            select(Idea)
            .where(Idea.id.in_([i.idea_id for i in ra.items]))
            .options(selectinload(Idea.spearheads))
        ).all()
    views = results_views(areas)
    turnout = _turnout_rows(areas, views)
    total = sum(row["total"] for row in turnout)
    return {
        "round": round_,
        "turnout": turnout,
        "total": total,
        "ages": _age_rows(round_, areas, total),
        "money": _money(areas, views),
        "stages": _stages(round_, areas, views),
        "rule": rule_text(round_),
        "register": register_text(round_, pb_urls),
    }
