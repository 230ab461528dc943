"""Read side of accountability: overviews, the dashboard, the coordinator's list.

Every function here runs a fixed number of SQL statements, whatever the number of ideas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from buurtbegroting.accountability.services import OPEN_STATUSES
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.ideas.services import PUBLIC_STATUSES
from buurtbegroting.models import (
    AccountabilityPhoto,
    Area,
    AreaLevel,
    AreaPlan,
    Ballot,
    Cheque,
    CodeStatus,
    Expense,
    FinalReport,
    Funding,
    GroupMembership,
    Idea,
    IdeaStatus,
    Milestone,
    PlanStatus,
    ProgressUpdate,
    SealedBallot,
    Spearhead,
    Support,
    ThematicGroup,
    idea_spearheads,
)


def percent(part: int, whole: int) -> int:
    """Return part / whole as a whole percentage between 0 and 100."""
    if whole <= 0:
        return 0
    return max(0, min(100, round(100 * part / whole)))


@dataclass
class FundingRow:
    """A funded idea as the overviews show it."""

    funding: Funding
    spent_cents: int
    milestones_done: int
    milestones_total: int
    today: date = field(default_factory=date.today)

    @property
    def idea(self) -> Idea:
        """Return the funded idea."""
        return self.funding.idea

    @property
    def spent_percent(self) -> int:
        """Return spent / funded, clamped to 0-100."""
        return percent(self.spent_cents, self.funding.amount_cents)

    @property
    def milestones_percent(self) -> int:
        """Return milestones done / total as a percentage."""
        return percent(self.milestones_done, self.milestones_total)

    @property
    def is_overdue(self) -> bool:
        """Tell whether the final report is late."""
        f = self.funding
        return (
            f.report_due_on is not None
            and f.report_due_on < self.today
            and f.status in OPEN_STATUSES
        )


def _spent_subquery():
    return (
        select(Expense.funding_id, func.sum(Expense.amount_cents).label("spent"))
        .group_by(Expense.funding_id)
        .subquery()
    )


def _milestone_subquery():
    return (
        select(
            Milestone.funding_id,
            func.count(Milestone.id).label("total"),
            func.count(Milestone.done_on).label("done"),
        )
        .group_by(Milestone.funding_id)
        .subquery()
    )


def funding_rows(
    *,
    area_ids: list[int] | set[int] | None = None,
    spearhead_id: int | None = None,
    today: date | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[FundingRow]:
    """Return funded ideas with spent and milestone counts (3 statements plus the eager loads)."""
    today = today or today_nl()
    spent, stones = _spent_subquery(), _milestone_subquery()
    query = (
        select(
            Funding,
            func.coalesce(spent.c.spent, 0),
            func.coalesce(stones.c.done, 0),
            func.coalesce(stones.c.total, 0),
        )
        .join(Funding.idea)
        .outerjoin(spent, spent.c.funding_id == Funding.id)
        .outerjoin(stones, stones.c.funding_id == Funding.id)
        .where(Idea.status.in_(PUBLIC_STATUSES))
        .order_by(Funding.funded_at.desc(), Funding.id.desc())
        .options(
            selectinload(Funding.idea).selectinload(Idea.area).selectinload(Area.parent),
            selectinload(Funding.idea).selectinload(Idea.spearheads),
            selectinload(Funding.idea).selectinload(Idea.group),
        )
    )
    if area_ids is not None:
        query = query.where(Idea.area_id.in_(list(area_ids)))
    if spearhead_id is not None:
        query = query.where(Idea.spearheads.any(Spearhead.id == spearhead_id))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [
        FundingRow(
            funding=f,
            spent_cents=int(s),
            milestones_done=int(d),
            milestones_total=int(t),
            today=today,
        )
        for f, s, d, t in db.session.execute(query).all()
    ]


def count_fundings() -> int:
    """Return how many funded ideas are public."""
    return (
        db.session.scalar(
            select(func.count(Funding.id))
            .join(Funding.idea)
            .where(Idea.status.in_(PUBLIC_STATUSES))
        )
        or 0
    )


def load_funding(idea: Idea) -> Funding | None:
    """Return the idea's funding with everything its section shows, in a fixed number of statements."""
    return db.session.scalar(
        select(Funding)
        .where(Funding.idea_id == idea.id)
        .options(
            selectinload(Funding.milestones),
            selectinload(Funding.updates).selectinload(ProgressUpdate.photos),
            selectinload(Funding.expenses),
            selectinload(Funding.report).selectinload(FinalReport.photos),
            selectinload(Funding.idea).selectinload(Idea.cost_lines),
            selectinload(Funding.idea)
            .selectinload(Idea.group)
            .selectinload(ThematicGroup.memberships)
            .selectinload(GroupMembership.user),
        )
    )


def coordinator_rows(area_ids: set[int] | None, today: date | None = None) -> list[FundingRow]:
    """Return the funded ideas of the coordinator's areas (None: all), late reports first."""
    rows = funding_rows(area_ids=area_ids, today=today)
    waiting = {"report_submitted": 0}
    rows.sort(
        key=lambda r: (
            not r.is_overdue,
            waiting.get(r.funding.status.value, 1),
            r.funding.report_due_on or date.max,
        )
    )
    return rows


def photo_with_funding(photo_id: int):
    """Return (photo, funding) for a photo of an update or a report, or None."""
    photo = db.session.get(AccountabilityPhoto, photo_id)
    if photo is None:
        return None
    if photo.update_id is not None:
        funding_id = db.session.scalar(
            select(ProgressUpdate.funding_id).where(ProgressUpdate.id == photo.update_id)
        )
    else:
        funding_id = db.session.scalar(
            select(FinalReport.funding_id).where(FinalReport.id == photo.report_id)
        )
    funding = db.session.get(Funding, funding_id) if funding_id is not None else None
    return (photo, funding) if funding is not None else None


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class MoneyRow:
    """Money allocated and spent for one spearhead or one area."""

    label: str
    detail: str
    ideas: int
    funded_cents: int
    spent_cents: int
    key: str = ""


@dataclass
class Dashboard:
    """Everything the dashboard shows (and the CSV files hold)."""

    by_spearhead: list[MoneyRow]
    by_area: list[MoneyRow]
    by_status: list[tuple[IdeaStatus, int]]
    ballots: int
    cheques_redeemed: int
    supports: int
    funded_total_cents: int
    spent_total_cents: int
    returned_total_cents: int

    @property
    def max_spearhead_cents(self) -> int:
        """Return the largest amount per spearhead (the bar scale)."""
        return max([r.funded_cents for r in self.by_spearhead] + [0])

    @property
    def max_area_cents(self) -> int:
        """Return the largest amount per area (the bar scale)."""
        return max([r.funded_cents for r in self.by_area] + [0])

    @property
    def max_status(self) -> int:
        """Return the largest number of ideas in one status (the bar scale)."""
        return max([n for _s, n in self.by_status] + [0])


def _money(spent) -> tuple:
    """Return the grouped figures of fundings: how many, the money funded and the money spent."""
    return (
        func.count(Funding.id),
        func.coalesce(func.sum(Funding.amount_cents), 0),
        func.coalesce(func.sum(spent.c.spent), 0),
    )


def _funded(spent, *columns):
    """Select ``columns`` and the money figures of the fundings of ideas."""
    return (
        select(*columns, *_money(spent))
        .select_from(Funding)
        .join(Idea, Idea.id == Funding.idea_id)
        .outerjoin(spent, spent.c.funding_id == Funding.id)
    )


def dashboard(own_theme_label: str = "") -> Dashboard:
    """Collect the figures of the dashboard in a fixed number of statements."""
    spent = _spent_subquery()
    public = Idea.status.in_(PUBLIC_STATUSES)

    spearhead_rows = db.session.execute(
        select(Spearhead.id, Spearhead.title, Area.name, *_money(spent))
        .select_from(Spearhead)
        .join(AreaPlan, AreaPlan.id == Spearhead.plan_id)
        .join(Area, Area.id == AreaPlan.area_id)
        .outerjoin(idea_spearheads, idea_spearheads.c.spearhead_id == Spearhead.id)
        .outerjoin(Idea, and_(Idea.id == idea_spearheads.c.idea_id, public))
        .outerjoin(Funding, Funding.idea_id == Idea.id)
        .outerjoin(spent, spent.c.funding_id == Funding.id)
        .where(or_(AreaPlan.status == PlanStatus.ADOPTED, Funding.id.is_not(None)))
        .group_by(Spearhead.id, Spearhead.title, Area.name)
        .order_by(func.coalesce(func.sum(Funding.amount_cents), 0).desc(), Spearhead.id)
    ).all()
    by_spearhead = [
        MoneyRow(
            label=title,
            detail=area,
            ideas=int(n),
            funded_cents=int(funded),
            spent_cents=int(s),
            key=str(sid),
        )
        for sid, title, area, n, funded, s in spearhead_rows
    ]
    without = db.session.execute(_funded(spent).where(public, ~Idea.spearheads.any())).one()
    if without[0]:
        by_spearhead.append(
            MoneyRow(
                label=own_theme_label,
                detail="",
                ideas=int(without[0]),
                funded_cents=int(without[1]),
                spent_cents=int(without[2]),
                key="own",
            )
        )

    areas = db.session.execute(
        select(Area.id, Area.name, Area.code, Area.level, Area.parent_id)
    ).all()
    by_id = {a.id: a for a in areas}

    def district_of(area_id):
        node = by_id.get(area_id)
        while node is not None and node.level != AreaLevel.DISTRICT:
            node = by_id.get(node.parent_id)
        return node

    area_rows = db.session.execute(
        _funded(spent, Idea.area_id).where(public).group_by(Idea.area_id)
    ).all()
    districts: dict[int, MoneyRow] = {}
    for area_id, n, funded, s in area_rows:
        district = district_of(area_id) or by_id.get(area_id)
        row = districts.setdefault(
            district.id,
            MoneyRow(
                label=district.name,
                detail=district.code,
                ideas=0,
                funded_cents=0,
                spent_cents=0,
                key=district.code,
            ),
        )
        row.ideas += int(n)
        row.funded_cents += int(funded)
        row.spent_cents += int(s)
    by_area = sorted(districts.values(), key=lambda r: (-r.funded_cents, r.label))

    counts = dict(
        db.session.execute(
            select(Idea.status, func.count(Idea.id)).where(public).group_by(Idea.status)
        ).all()
    )
    by_status = [(s, counts.get(s, 0)) for s in PUBLIC_STATUSES]

    totals = db.session.execute(
        select(
            select(func.count(Ballot.id)).scalar_subquery()
            + select(func.count(SealedBallot.id)).scalar_subquery(),
            select(func.count(Cheque.id)).where(Cheque.status == CodeStatus.USED).scalar_subquery(),
            select(func.count(Support.id)).scalar_subquery(),
            select(func.coalesce(func.sum(Funding.amount_cents), 0))
            .join(Idea, Idea.id == Funding.idea_id)
            .where(public)
            .scalar_subquery(),
            select(func.coalesce(func.sum(Expense.amount_cents), 0))
            .join(Funding, Funding.id == Expense.funding_id)
            .join(Idea, Idea.id == Funding.idea_id)
            .where(public)
            .scalar_subquery(),
            select(func.coalesce(func.sum(Funding.returned_cents), 0))
            .join(Idea, Idea.id == Funding.idea_id)
            .where(public)
            .scalar_subquery(),
        )
    ).one()
    return Dashboard(
        by_spearhead=by_spearhead,
        by_area=by_area,
        by_status=by_status,
        ballots=int(totals[0]),
        cheques_redeemed=int(totals[1]),
        supports=int(totals[2]),
        funded_total_cents=int(totals[3]),
        spent_total_cents=int(totals[4]),
        returned_total_cents=int(totals[5]),
    )


def filter_areas() -> list[Area]:
    """Return districts and neighbourhoods, for the area filter."""
    return list(
        db.session.scalars(
            select(Area).where(Area.level != AreaLevel.MUNICIPALITY).order_by(Area.code)
        )
    )
