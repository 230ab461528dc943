"""Voting in one other area of a round besides the own area (rounds with ``allows_second_area``).

The own ("home") area is the code's area or, for an account, the area it lives in. After the
home ballot, the code or account may cast ONE more ballot in a different area of the same
round. Codes keep that area in ``voting_codes.second_round_area_id``, set by a conditional
UPDATE; accounts get one ``second_area_voters`` row per round (its key makes a second one
impossible). Both happen in the transaction that stores the sealed envelope, so concurrent
submissions cannot both succeed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from buurtbegroting.extensions import db
from buurtbegroting.models import (
    BudgetRound,
    CodeStatus,
    RoundArea,
    RoundVoter,
    SecondAreaVoter,
    User,
    VotingCode,
)
from buurtbegroting.rounds.services.casting import account_areas
from buurtbegroting.rounds.services.phases import VoteRefused

ALREADY = _l(
    "You have already voted in one other area of this round. "
    "You can vote in two areas at most: your own area and one other."
)
HOME_FIRST = _l("Vote in your own area first. Then you can choose one other area.")


def home_area_ids(round_: BudgetRound, *, code: VotingCode | None, user: User | None) -> set[int]:
    """Return the ids of the voter's own area(s) in the round."""
    if code is not None:
        return {code.round_area_id}
    if user is None:
        return set()
    return {ra.id for ra in account_areas(round_, user)}


def other_areas(round_: BudgetRound, home_ids: set[int]) -> list[RoundArea]:
    """Return the areas of the round a voter may choose as the one other area."""
    return [ra for ra in round_.areas if ra.id not in home_ids]


def has_second(round_: BudgetRound, *, code: VotingCode | None, user: User | None) -> bool:
    """Tell whether the code or account has used its one other area in the round."""
    if code is not None:
        return code.second_round_area_id is not None
    return db.session.get(SecondAreaVoter, (round_.id, user.id)) is not None


def voted_at_home(round_: BudgetRound, *, code: VotingCode | None, user: User | None) -> bool:
    """Tell whether the voter's home ballot is stored."""
    if code is not None:
        return code.status == CodeStatus.USED
    homes = home_area_ids(round_, code=None, user=user)
    return bool(homes) and (
        db.session.scalar(
            select(RoundVoter.user_id)
            .where(RoundVoter.user_id == user.id, RoundVoter.round_area_id.in_(homes))
            .limit(1)
        )
        is not None
    )


def mark_code(code: VotingCode, round_area: RoundArea) -> None:
    """Mark the code as having voted in this other area, or refuse; flush only."""
    round_ = round_area.round
    if not round_.allows_second_area or round_area.round_id != code.round_area.round_id:
        raise VoteRefused([_l("This code belongs to another area.")])
    codes = VotingCode.__table__
    marked = db.session.execute(
        update(codes)
        .where(
            codes.c.id == code.id,
            codes.c.status == CodeStatus.USED.value,
            codes.c.second_round_area_id.is_(None),
        )
        .values(second_round_area_id=round_area.id)
    )
    if marked.rowcount == 1:
        return
    status = db.session.scalar(select(codes.c.status).where(codes.c.id == code.id))
    if status == CodeStatus.VOID.value:
        raise VoteRefused([_l("This code is no longer valid. A new code was issued in its place.")])
    raise VoteRefused([ALREADY if status == CodeStatus.USED.value else HOME_FIRST])


def mark_account(round_area: RoundArea, user: User) -> None:
    """Record that the account voted in this other area of the round, or refuse; flush only."""
    round_ = round_area.round
    if not home_area_ids(round_, code=None, user=user):
        raise VoteRefused([_l("You can only vote in the area where you live.")])
    if not voted_at_home(round_, code=None, user=user):
        raise VoteRefused([HOME_FIRST])
    try:
        with db.session.begin_nested():
            db.session.add(
                SecondAreaVoter(round_id=round_.id, user_id=user.id, round_area_id=round_area.id)
            )
            db.session.add(RoundVoter(round_area_id=round_area.id, user_id=user.id))
            db.session.flush()
    except IntegrityError:
        raise VoteRefused([ALREADY]) from None


def is_second_for_account(round_area: RoundArea, user: User) -> bool:
    """Tell whether an account's ballot in this area would be its one other area."""
    round_ = round_area.round
    return round_.allows_second_area and round_area.id not in home_area_ids(
        round_, code=None, user=user
    )
