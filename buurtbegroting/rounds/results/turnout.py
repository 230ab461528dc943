"""Turnout per area of a closed round: online and paper ballots, apart and together."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from buurtbegroting.extensions import db
from buurtbegroting.models import Ballot


@dataclass(frozen=True)
class Turnout:
    """Ballots of one area by way of voting, and the share of the eligible voters."""

    online: int
    paper: int
    eligible: int | None

    @property
    def total(self) -> int:
        """Return online and paper ballots together."""
        return self.online + self.paper

    @property
    def percent(self) -> float | None:
        """Return the turnout in percent, or None when the number of voters is unknown."""
        return 100 * self.total / self.eligible if self.eligible else None


def ballots_by_way(round_area_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Return {round area id: (online ballots, paper ballots)} of closed areas (one query)."""
    counts = {ra_id: [0, 0] for ra_id in round_area_ids}
    if round_area_ids:
        rows = db.session.execute(
            select(Ballot.round_area_id, Ballot.is_paper, func.count(Ballot.id))
            .where(Ballot.round_area_id.in_(round_area_ids))
            .group_by(Ballot.round_area_id, Ballot.is_paper)
        ).all()
        for ra_id, is_paper, n in rows:
            counts[ra_id][1 if is_paper else 0] += n
    return {ra_id: (online, paper) for ra_id, (online, paper) in counts.items()}
