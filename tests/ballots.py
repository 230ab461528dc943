"""Reading ballots in tests: sealed envelopes during voting, opened with the round's key."""

from __future__ import annotations

from sqlalchemy import select

from buurtbegroting.models import BudgetRound, RoundArea, SealedBallot
from buurtbegroting.rounds import sealing


def opened_ballots(db, round_area: RoundArea | None = None) -> list[sealing.OpenedBallot]:
    """Open every sealed envelope (of one area) as the closing does, without changing them."""
    query = select(SealedBallot, RoundArea.round_id).join(
        RoundArea, RoundArea.id == SealedBallot.round_area_id
    )
    if round_area is not None:
        query = query.where(SealedBallot.round_area_id == round_area.id)
    opened = []
    for sealed, round_id in db.session.execute(query).all():
        stored = db.session.get(BudgetRound, round_id).ballot_public_key
        opened.append(sealing.opener(round_id, stored)(sealed.envelope))
    return opened
