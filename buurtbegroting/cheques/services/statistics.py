"""Campaign statistics: how many cheques went where, for the dashboard and its CSV."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from buurtbegroting.cheques import rules
from buurtbegroting.cheques.services.campaigns import status_counts
from buurtbegroting.cheques.services.common import FUNDED_STATUSES
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    Cheque,
    ChequeCampaign,
    CodeStatus,
    Idea,
    IdeaStatus,
    PotEntry,
)


@dataclass
class AreaRow:
    """Cheques issued and redeemed for one neighbourhood (or without one)."""

    code: str
    name: str
    issued: int
    redeemed: int

    @property
    def share(self) -> float:
        """Return the share redeemed, 0-100."""
        return 100.0 * self.redeemed / self.issued if self.issued else 0.0


@dataclass
class IdeaRow:
    """What one initiative received from the campaign."""

    idea: Idea
    cheques: int
    cents: int


@dataclass
class Stats:
    """A campaign's statistics."""

    campaign: ChequeCampaign
    areas: list[AreaRow]
    ideas: list[IdeaRow]
    counts: dict[str, int]
    to_pot_cents: int

    @property
    def issued(self) -> int:
        """Return the cheques issued (void ones left out)."""
        return sum(r.issued for r in self.areas)

    @property
    def redeemed(self) -> int:
        """Return the cheques given to initiatives."""
        return sum(r.redeemed for r in self.areas)

    @property
    def share(self) -> float:
        """Return the share of issued cheques that was given, 0-100."""
        return 100.0 * self.redeemed / self.issued if self.issued else 0.0

    @property
    def funded(self) -> list[IdeaRow]:
        """Return the initiatives that reached their target."""
        return [r for r in self.ideas if r.idea.status in FUNDED_STATUSES]

    @property
    def not_reached(self) -> list[IdeaRow]:
        """Return the initiatives that did not reach their target."""
        return [r for r in self.ideas if r.idea.status == IdeaStatus.NOT_FUNDED]

    @property
    def most(self) -> int:
        """Return the largest number issued in one neighbourhood (for the chart's scale)."""
        return max([r.issued for r in self.areas] + [1])


def campaign_stats(campaign: ChequeCampaign) -> Stats:
    """Return issued and redeemed cheques per neighbourhood, and euros per initiative."""
    rows = db.session.execute(
        select(Cheque.area_id, Cheque.status, func.count(Cheque.id))
        .where(Cheque.campaign_id == campaign.id, Cheque.status != CodeStatus.VOID)
        .group_by(Cheque.area_id, Cheque.status)
    ).all()
    issued: Counter = Counter()
    redeemed: Counter = Counter()
    for area_id, status, n in rows:
        issued[area_id] += n
        if status == CodeStatus.USED:
            redeemed[area_id] += n
    areas = {
        a.id: a
        for a in db.session.scalars(select(Area).where(Area.id.in_([i for i in issued if i])))
    }
    area_rows = [
        AreaRow(
            areas[i].code if i else "",
            areas[i].name if i else "",
            issued[i],
            redeemed[i],
        )
        for i in issued
    ]
    area_rows.sort(key=lambda r: (r.code == "", r.code))
    per_idea = db.session.execute(
        select(Cheque.idea_id, func.count(Cheque.id))
        .where(Cheque.campaign_id == campaign.id, Cheque.status == CodeStatus.USED)
        .group_by(Cheque.idea_id)
    ).all()
    ideas = {
        i.id: i
        for i in db.session.scalars(
            select(Idea)
            .where(Idea.id.in_([r[0] for r in per_idea]))
            .options(selectinload(Idea.area))
        )
    }
    idea_rows = sorted(
        (IdeaRow(ideas[i], n, n * campaign.value_cents) for i, n in per_idea if i in ideas),
        key=lambda r: (-r.cents, r.idea.title),
    )
    pot = (
        db.session.scalar(
            select(func.sum(PotEntry.amount_cents)).where(PotEntry.campaign_id == campaign.id)
        )
        or 0
    )
    return Stats(campaign, area_rows, idea_rows, status_counts(campaign), pot)


def default_dates(today: date | None = None) -> tuple[date, date]:
    """Return the default activation window: from today, six weeks."""
    today = today or today_nl()
    return today, today + rules.DEFAULT_WINDOW - timedelta(days=1)
