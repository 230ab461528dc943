"""Integrity signals: many ballots from one network prefix on one day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from buurtbegroting.extensions import db
from buurtbegroting.models import (
    BudgetRound,
    NetworkSignal,
)


@dataclass
class SignalDay:
    """The network prefixes of one day with more ballots than the threshold."""

    day: date
    prefixes: list[tuple[str, int]]


def network_signals(round_: BudgetRound, threshold: int) -> list[SignalDay]:
    """Return, newest day first, the prefixes (short hash ids) with more than ``threshold`` ballots."""
    rows = db.session.execute(
        select(NetworkSignal.day, NetworkSignal.prefix_hash, NetworkSignal.ballots)
        .where(NetworkSignal.round_id == round_.id, NetworkSignal.ballots > threshold)
        .order_by(NetworkSignal.day.desc(), NetworkSignal.ballots.desc(), NetworkSignal.prefix_hash)
    ).all()
    days: dict[date, list[tuple[str, int]]] = defaultdict(list)
    for day, prefix_hash, ballots in rows:
        days[day].append((prefix_hash[:8], ballots))
    return [SignalDay(day, prefixes) for day, prefixes in days.items()]
