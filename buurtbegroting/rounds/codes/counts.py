"""Counting codes per area and status, and re-issuing a lost code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from buurtbegroting import audit
from buurtbegroting.counting import count_per_kind
from buurtbegroting.domain.codes import InvalidCode, normalize_code
from buurtbegroting.domain.rounds import Phase
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    BudgetRound,
    CodeStatus,
    RoundArea,
    User,
    VotingCode,
)
from buurtbegroting.rounds.codes.common import CodesRefused
from buurtbegroting.rounds.codes.letters import _new_code
from buurtbegroting.rounds.services import (
    code_problem_message,
    phase,
    voting_code_hash,
)


def code_counts(round_: BudgetRound) -> dict[int, dict[str, int]]:
    """Return, per round area id, how many codes are issued (unused), used, void and in total."""
    found = count_per_kind(
        VotingCode.round_area_id, VotingCode.status, [ra.id for ra in round_.areas]
    )
    return {
        ra_id: {
            **{s.value: per_status.get(s, 0) for s in CodeStatus},
            "total": sum(per_status.values()),
        }
        for ra_id, per_status in found.items()
    }


def _code_of_area(round_area: RoundArea, text: str) -> VotingCode:
    """Return the code typed for this area, or refuse with a reason for the code field."""
    try:
        normalized = normalize_code(text)
    except InvalidCode as error:
        raise CodesRefused([code_problem_message(error)], field="code") from None
    code = db.session.scalar(
        select(VotingCode).where(VotingCode.code_hash == voting_code_hash(normalized))
    )
    if code is None:
        raise CodesRefused([_l("This code is unknown.")], field="code")
    if code.round_area_id != round_area.id:
        other = db.session.get(RoundArea, code.round_area_id)
        if other is not None and other.round_id == round_area.round_id:
            raise CodesRefused(
                [_l("This code belongs to another area of this round.")], field="code"
            )
        raise CodesRefused([_l("This code belongs to another voting round.")], field="code")
    return code


def reissue_code(round_area: RoundArea, old_code_text: str, actor: User, reason: str) -> str:
    """Make a lost code void and issue a new one in its place; return the new code once.

    Refused when the old code was used or is void already, and once voting has ended. The
    void is a conditional update, so a vote with the old code at the same moment wins or
    loses cleanly. Flushes only.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CodesRefused([_l("Say why the code is replaced.")], field="reason")
    if phase(round_area.round) not in (
        Phase.UPCOMING,
        Phase.SUBMISSION,
        Phase.REVIEW,
        Phase.VOTING,
    ):
        raise CodesRefused([_l("Voting has ended: codes can no longer be replaced.")])
    old = _code_of_area(round_area, old_code_text)
    if old.status == CodeStatus.USED:
        raise CodesRefused(
            [_l("This code has been used to vote. A used code cannot be replaced.")], field="code"
        )
    if old.status != CodeStatus.ISSUED:
        raise CodesRefused(
            [_l("This code is void already. Look up the code that replaced it.")], field="code"
        )
    seen: set[str] = set()
    new_text, new_hash = _new_code(seen)
    while db.session.scalar(select(VotingCode.id).where(VotingCode.code_hash == new_hash)):
        new_text, new_hash = _new_code(seen)
    new = VotingCode(round_area_id=round_area.id, code_hash=new_hash, status=CodeStatus.ISSUED)
    db.session.add(new)
    db.session.flush()
    voided = db.session.execute(
        update(VotingCode)
        .where(VotingCode.id == old.id, VotingCode.status == CodeStatus.ISSUED)
        .values(status=CodeStatus.VOID, void_reason=reason[:200], replaced_by_id=new.id)
        .execution_options(synchronize_session=False)
    )
    if voided.rowcount != 1:
        raise CodesRefused(
            [_l("This code has been used to vote. A used code cannot be replaced.")], field="code"
        )
    db.session.expire(old)
    audit.record(
        actor,
        "round.code_reissued",
        round_area.round,
        summary=reason[:300],
        before={"code_id": old.id, "status": "issued"},
        after={
            "code_id": old.id,
            "status": "void",
            "replaced_by_id": new.id,
            "area": round_area.area.code,
            "reason": reason[:200],
        },
    )
    return new_text
