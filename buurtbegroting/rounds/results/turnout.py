"""Turnout per area of a closed round: online and paper ballots, apart and together."""

from __future__ import annotations

from dataclasses import dataclass

from buurtbegroting.counting import count_per_kind
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
    counts = count_per_kind(Ballot.round_area_id, Ballot.is_paper, round_area_ids)
    return {ra_id: (ways.get(False, 0), ways.get(True, 0)) for ra_id, ways in counts.items()}
