"""The API's views: each reads one kind of public data and serialises it."""

from __future__ import annotations

from flask import abort, jsonify, request
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from buurtbegroting.accountability import queries as acc_queries
from buurtbegroting.api.params import _area_filter, _bad_request, _iso, _page, _paginated
from buurtbegroting.api.serialisers import (
    _funding,
    _idea,
    _overrides,
    _photo_urls,
    _published_result,
)
from buurtbegroting.counting import count_per
from buurtbegroting.extensions import db
from buurtbegroting.ideas.services import PUBLIC_STATUSES
from buurtbegroting.models import (
    Area,
    AreaPlan,
    BudgetRound,
    Cheque,
    ChequeCampaign,
    CodeStatus,
    Funding,
    Idea,
    IdeaStatus,
    Indicator,
    RoundArea,
    Spearhead,
    Support,
)
from buurtbegroting.rounds.results.overrides import overrides_of
from buurtbegroting.rounds.results.turnout import ballots_by_way
from buurtbegroting.rounds.services.phases import phase as round_phase


def areas():
    """List areas: the municipality, its districts and neighbourhoods, with CBS codes."""
    page = _page()
    parent = aliased(Area)
    total = db.session.scalar(select(func.count(Area.id))) or 0
    rows = db.session.execute(
        select(Area, parent.code)
        .outerjoin(parent, parent.id == Area.parent_id)
        .order_by(Area.code)
        .limit(page.per_page)
        .offset(page.offset)
    ).all()
    items = [
        {"code": a.code, "name": a.name, "level": a.level.value, "parent_code": parent_code}
        for a, parent_code in rows
    ]
    return _paginated(items, total, page)


def area_plans():
    """List area plans with their status, period and spearheads."""
    page = _page()
    query = select(AreaPlan)
    areas_ = _area_filter()
    if areas_ is not None:
        query = query.where(AreaPlan.area_id.in_(areas_))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    plans = db.session.scalars(
        query.order_by(AreaPlan.id)
        .limit(page.per_page)
        .offset(page.offset)
        .options(selectinload(AreaPlan.area), selectinload(AreaPlan.spearheads))
    ).all()
    items = [
        {
            "id": p.id,
            "area_code": p.area.code,
            "title": p.title,
            "summary": p.summary,
            "period_start": _iso(p.period_start),
            "period_end": _iso(p.period_end),
            "status": p.status.value,
            "adopted_on": _iso(p.adopted_on),
            "decision_reference": p.decision_reference,
            "spearhead_ids": [s.id for s in p.spearheads],
        }
        for p in plans
    ]
    return _paginated(items, total, page)


def spearheads():
    """List the spearheads of all area plans."""
    page = _page()
    total = db.session.scalar(select(func.count(Spearhead.id))) or 0
    rows = db.session.execute(
        select(Spearhead, AreaPlan.area_id, Area.code)
        .join(AreaPlan, AreaPlan.id == Spearhead.plan_id)
        .join(Area, Area.id == AreaPlan.area_id)
        .order_by(Spearhead.plan_id, Spearhead.position, Spearhead.id)
        .limit(page.per_page)
        .offset(page.offset)
    ).all()
    items = [
        {
            "id": s.id,
            "plan_id": s.plan_id,
            "area_code": code,
            "title": s.title,
            "description": s.description,
            "position": s.position,
        }
        for s, _area_id, code in rows
    ]
    return _paginated(items, total, page)


def indicators():
    """List the figures of the area monitor (wijkfoto)."""
    page = _page()
    query = select(Indicator, Area.code).join(Area, Area.id == Indicator.area_id)
    areas_ = _area_filter()
    if areas_ is not None:
        query = query.where(Indicator.area_id.in_(areas_))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(Area.code, Indicator.name, Indicator.year)
        .limit(page.per_page)
        .offset(page.offset)
    ).all()
    items = [
        {
            "area_code": code,
            "name": i.name,
            "value": i.value,
            "unit": i.unit,
            "municipal_average": i.municipal_average,
            "year": i.year,
            "source": i.source,
        }
        for i, code in rows
    ]
    return _paginated(items, total, page)


def _idea_query():
    counts = (
        select(Support.idea_id, func.count(Support.id).label("n"))
        .group_by(Support.idea_id)
        .subquery()
    )
    return (
        select(Idea, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.idea_id == Idea.id)
        .where(Idea.status.in_(PUBLIC_STATUSES))
        .options(
            selectinload(Idea.area),
            selectinload(Idea.spearheads),
            selectinload(Idea.group),
            selectinload(Idea.cost_lines),
        )
    )


def ideas():
    """List ideas in public statuses (never drafts or withdrawn ideas); filter by area and status."""
    page = _page()
    conditions = [Idea.status.in_(PUBLIC_STATUSES)]
    areas_ = _area_filter()
    if areas_ is not None:
        conditions.append(Idea.area_id.in_(areas_))
    status = request.args.get("status")
    if status:
        if status not in {s.value for s in PUBLIC_STATUSES}:
            _bad_request("unknown status")
        conditions.append(Idea.status == IdeaStatus(status))
    total = db.session.scalar(select(func.count(Idea.id)).where(*conditions)) or 0
    rows = db.session.execute(
        _idea_query().where(*conditions).order_by(Idea.id).limit(page.per_page).offset(page.offset)
    ).all()
    return _paginated([_idea(i, n) for i, n in rows], total, page)


def idea(idea_id: int):
    """Show one public idea, with its description."""
    row = db.session.execute(_idea_query().where(Idea.id == idea_id)).first()
    if row is None:
        abort(404)
    return jsonify({"data": _idea(row[0], row[1], detail=True)})


def _round(r: BudgetRound, funded: dict[int, list[dict]], splits: dict, overrides: dict) -> dict:
    phase = round_phase(r)
    published = r.closed_at is not None and r.published_at is not None
    areas_ = []
    for ra in r.areas:
        entry = {
            "area_code": ra.area.code,
            "budget_cents": ra.budget_cents,
            "eligible_count": ra.eligible_count,
            "ballot_idea_ids": [item.idea_id for item in ra.items],
        }
        if published:
            online, paper = splits.get(ra.id, (0, 0))
            entry["result"] = {
                "ballot_count": ra.ballot_count,
                "ballots_online": online,
                "ballots_paper": paper,
                "pabulib_sha256": ra.pb_sha256,
                **_published_result(ra.result),
                "funded": funded.get(ra.id, []),
                "overrides": _overrides(overrides.get(ra.id, [])),
            }
        areas_.append(entry)
    return {
        "id": r.id,
        "name": r.name,
        "description": r.description,
        "phase": phase.value,
        "submission_opens_at": _iso(r.submission_opens_at),
        "review_opens_at": _iso(r.review_opens_at),
        "voting_opens_at": _iso(r.voting_opens_at),
        "voting_closes_at": _iso(r.voting_closes_at),
        "results_at": _iso(r.results_at),
        "ballot_type": r.ballot_type.value,
        "rule": r.rule.value,
        "rule_explanation": r.rule_explanation,
        "min_age": r.min_age,
        "allows_second_area": r.allows_second_area,
        "closed_at": _iso(r.closed_at),
        "published_at": _iso(r.published_at),
        "results_published": published,
        "areas": areas_,
    }


def _rounds(query):
    found = db.session.scalars(
        query.options(
            selectinload(BudgetRound.areas).selectinload(RoundArea.area),
            selectinload(BudgetRound.areas).selectinload(RoundArea.items),
        )
    ).all()
    round_area_ids = [ra.id for r in found if r.closed_at and r.published_at for ra in r.areas]
    funded: dict[int, list[dict]] = {}
    if round_area_ids:
        for round_area_id, idea_id, cents in db.session.execute(
            select(Funding.round_area_id, Funding.idea_id, Funding.amount_cents)
            .join(Idea, Idea.id == Funding.idea_id)
            .where(Funding.round_area_id.in_(round_area_ids), Idea.status.in_(PUBLIC_STATUSES))
            .order_by(Funding.idea_id)
        ).all():
            funded.setdefault(round_area_id, []).append({"idea_id": idea_id, "amount_cents": cents})
    splits = ballots_by_way(round_area_ids)
    overrides = overrides_of(round_area_ids)
    return [_round(r, funded, splits, overrides) for r in found]


def rounds():
    """List budget rounds: phases and budgets always; results only once closed and published."""
    page = _page()
    total = db.session.scalar(select(func.count(BudgetRound.id))) or 0
    items = _rounds(
        select(BudgetRound).order_by(BudgetRound.id).limit(page.per_page).offset(page.offset)
    )
    return _paginated(items, total, page)


def round_(round_id: int):
    """Show one budget round."""
    items = _rounds(select(BudgetRound).where(BudgetRound.id == round_id))
    if not items:
        abort(404)
    return jsonify({"data": items[0]})


def cheque_campaigns():
    """List cheque campaigns: cheques issued and redeemed, and what each initiative collected."""
    page = _page()
    total = db.session.scalar(select(func.count(ChequeCampaign.id))) or 0
    campaigns = db.session.scalars(
        select(ChequeCampaign)
        .order_by(ChequeCampaign.id)
        .limit(page.per_page)
        .offset(page.offset)
        .options(selectinload(ChequeCampaign.areas))
    ).all()
    ids = [c.id for c in campaigns]
    per_idea: dict[int, list[dict]] = {}
    redeemed: dict[int, int] = {}
    if ids:
        for campaign_id, idea_id, title, collected, n in db.session.execute(
            select(
                Cheque.campaign_id, Idea.id, Idea.title, Idea.collected_cents, func.count(Cheque.id)
            )
            .join(Idea, Idea.id == Cheque.idea_id)
            .where(
                Cheque.campaign_id.in_(ids),
                Cheque.status == CodeStatus.USED,
                Idea.status.in_(PUBLIC_STATUSES),
            )
            .group_by(Cheque.campaign_id, Idea.id, Idea.title, Idea.collected_cents)
            .order_by(Cheque.campaign_id, Idea.id)
        ).all():
            per_idea.setdefault(campaign_id, []).append(
                {"idea_id": idea_id, "title": title, "cheques": n, "collected_cents": collected}
            )
        redeemed = count_per(
            Cheque.campaign_id, Cheque.campaign_id.in_(ids), Cheque.status == CodeStatus.USED
        )
    items = [
        {
            "id": c.id,
            "name": c.name,
            "value_cents": c.value_cents,
            "activation_starts_on": _iso(c.activation_starts_on),
            "activation_ends_on": _iso(c.activation_ends_on),
            "whole_municipality": c.whole_municipality,
            "area_codes": [a.code for a in c.areas],
            "cheques_issued": c.cheque_count,
            "cheques_redeemed": redeemed.get(c.id, 0),
            "redeemed_cents": redeemed.get(c.id, 0) * c.value_cents,
            "initiatives": per_idea.get(c.id, []),
        }
        for c in campaigns
    ]
    return _paginated(items, total, page)


def accountability():
    """List funded ideas: funded, spent and returned amounts, payout, milestones, status."""
    page = _page()
    areas_ = _area_filter()
    total = (
        acc_queries.count_fundings()
        if areas_ is None
        else len(acc_queries.funding_rows(area_ids=areas_))
    )
    rows = acc_queries.funding_rows(area_ids=areas_, limit=page.per_page, offset=page.offset)
    return _paginated([_funding(r) for r in rows], total, page)


def accountability_item(idea_id: int):
    """Show the accountability of one funded idea: milestones, updates, expenses (no receipts), report."""
    found = db.session.get(Idea, idea_id)
    if found is None or found.status not in PUBLIC_STATUSES:
        abort(404)
    funding = acc_queries.load_funding(found)
    if funding is None:
        abort(404)
    row = acc_queries.FundingRow(
        funding=funding,
        spent_cents=sum(e.amount_cents for e in funding.expenses),
        milestones_done=sum(1 for m in funding.milestones if m.done_on is not None),
        milestones_total=len(funding.milestones),
    )
    data = _funding(row)
    data["milestones"] = [
        {"title": m.title, "planned_on": _iso(m.planned_on), "done_on": _iso(m.done_on)}
        for m in funding.milestones
    ]
    data["updates"] = [
        {"text": u.text, "created_at": _iso(u.created_at), "photos": _photo_urls(u.photos)}
        for u in funding.updates
    ]
    data["expenses"] = [
        {"description": e.description, "amount_cents": e.amount_cents, "spent_on": _iso(e.spent_on)}
        for e in funding.expenses
    ]
    report = funding.report
    data["report"] = (
        {
            "text": report.text,
            "participants": report.participants,
            "photos": _photo_urls(report.photos),
            "approved_at": _iso(report.reviewed_at),
        }
        if report is not None and funding.status.value == "approved"
        else None
    )
    return jsonify({"data": data})


def dashboard():
    """Return the figures of the dashboard: money per spearhead and area, ideas per status, participation."""
    d = acc_queries.dashboard(own_theme_label="")

    def money(rows, key_name):
        return [
            {
                key_name: r.key,
                "label": r.label,
                "detail": r.detail,
                "ideas": r.ideas,
                "funded_cents": r.funded_cents,
                "spent_cents": r.spent_cents,
            }
            for r in rows
        ]

    return jsonify(
        {
            "data": {
                "by_spearhead": money(d.by_spearhead, "spearhead"),
                "by_area": money(d.by_area, "area_code"),
                "ideas_by_status": {s.value: n for s, n in d.by_status},
                "participation": {
                    "ballots": d.ballots,
                    "cheques_redeemed": d.cheques_redeemed,
                    "supports": d.supports,
                },
                "funded_cents": d.funded_total_cents,
                "spent_cents": d.spent_total_cents,
                "returned_cents": d.returned_total_cents,
            }
        }
    )
