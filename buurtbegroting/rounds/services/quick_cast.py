"""Casting a ballot with a voting code in its own area, the common case, without the ORM.

Most ballots of a round are a code voting once in the area it was issued for. Loading the
code, its area and its round as ORM objects, and sending the statements through the ORM
session, was most of the processor time of such a ballot (``bench/vote.py``). This path reads
the few facts it needs in one light query and writes with prebuilt statements on a pooled
connection of its own (``links.link``: no ORM session); ``casting.cast_ballot`` stays the one
general path. On PostgreSQL the statements go straight to the driver, each its own
transaction: one statement marks the code used and stores the envelope, so no BEGIN and
COMMIT round trips are needed. Elsewhere (SQLite) they run through SQLAlchemy in one
transaction.

Every check of the general path is made here too, from the same row: the code is issued and
belongs to this area, the round is in its voting phase, the ballot meets the rules, and the
round's stored public key (stored by its first ballot) is the one BALLOT_KEY derives.
Whenever anything is not the plain case (another area, ballot changes allowed, a problem
with the code, the key, the phase or the ballot) this path stops before writing anything,
and the caller takes the general path, which refuses with the same messages as before.
"""

from __future__ import annotations

import functools
import secrets

from sqlalchemy import Integer, LargeBinary, String, bindparam, select, text

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.domain.rounds import BallotProblem, Phase, check_ballot
from buurtbegroting.keys import ballot_key
from buurtbegroting.models import (
    BallotType,
    BudgetRound,
    CodeStatus,
    RoundArea,
    SealedBallot,
    VotingCode,
)
from buurtbegroting.rounds import sealing
from buurtbegroting.rounds.services.counts import ITEM_COSTS
from buurtbegroting.rounds.services.display import kept_for
from buurtbegroting.rounds.services.links import Link
from buurtbegroting.rounds.services.phases import phase, rules_of

_codes, _areas, _rounds = VotingCode.__table__, RoundArea.__table__, BudgetRound.__table__

#: What casting needs of a code, its area and its round, in one row (no ORM objects).
_FACTS = (
    select(
        _codes.c.id.label("code_id"),
        _codes.c.code_hash,
        _codes.c.status,
        _codes.c.round_area_id,
        _areas.c.round_id,
        _areas.c.budget_cents,
        *(
            _rounds.c[name]
            for name in (
                "created_at",
                "submission_opens_at",
                "review_opens_at",
                "voting_opens_at",
                "voting_closes_at",
                "closed_at",
                "published_at",
                "ballot_type",
                "min_choices",
                "max_choices",
                "knapsack_min_percent",
                "cumulative_points",
                "cumulative_max_per_idea",
                "allow_ballot_changes",
                "allows_second_area",
                "ballot_public_key",
            )
        ),
    )
    .select_from(_codes.join(_areas, _areas.c.id == _codes.c.round_area_id))
    .join(_rounds, _rounds.c.id == _areas.c.round_id)
    .where(_codes.c.code_hash == bindparam("code_hash"))
)

#: Mark an issued code as used; no row changes when another ballot used it first.
_MARK_USED = (
    _codes.update()
    .where(_codes.c.id == bindparam("code_id"), _codes.c.status == CodeStatus.ISSUED.value)
    .values(status=CodeStatus.USED.value)
)

_SEAL = SealedBallot.__table__.insert()

#: PostgreSQL: both in one statement, which is its own transaction (see ``links``):
#: the envelope is stored only when this statement is the one that used the code.
_MARK_USED_AND_SEAL = text(
    f"""
    WITH used AS (
        UPDATE {_codes.name} SET status = :used
        WHERE id = :code_id AND status = :issued
        RETURNING id
    )
    INSERT INTO {SealedBallot.__tablename__} (id, round_area_id, envelope, pseudonym)
    SELECT :ballot_id, :round_area_id, :envelope, NULL FROM used
    """
).bindparams(
    bindparam("used", CodeStatus.USED.value),
    bindparam("issued", CodeStatus.ISSUED.value),
    bindparam("code_id", type_=Integer),
    bindparam("ballot_id", type_=String),
    bindparam("round_area_id", type_=Integer),
    bindparam("envelope", type_=LargeBinary),
)

#: Store the round's public key at its first ballot (see ``sealing``).
_STORE_KEY = (
    _rounds.update()
    .where(_rounds.c.id == bindparam("round_id"), _rounds.c.ballot_public_key.is_(None))
    .values(ballot_public_key=bindparam("public"))
)


def plain_case(link: Link, round_area_id: int, code_hash: str):
    """Return the facts of a code voting in its own area now, or None when it is not that case.

    The facts (a row): ``code_id``, ``round_area_id``, ``round_id``, ``ballot_type`` (its
    value), ``allows_second_area``, and what ``cast`` needs. Nothing is written.
    """
    facts = code_facts(link, code_hash)
    if (
        facts is None
        or facts.round_area_id != round_area_id
        or CodeStatus(facts.status) != CodeStatus.ISSUED
        or facts.allow_ballot_changes  # an earlier envelope may be replaced: general path
        # A key other than BALLOT_KEY's: the general path logs the fault and refuses.
        or facts.ballot_public_key not in (None, public_key(facts))
    ):
        return None
    return facts if phase(facts) == Phase.VOTING else None


def code_facts(link: Link, code_hash: str):
    """Return the facts of a code, its area and its round in one light query, or None."""
    return link.one(_FACTS, {"code_hash": code_hash})


def cast(link: Link, facts, choices: dict[int, int], receipt: str) -> bool:
    """Seal the ballot and mark the code used (committed by ``link.commit``).

    False: the ballot does not meet the rules, or the code was used a moment ago; no ballot
    was written, and the general path says what is wrong. (On PostgreSQL the round's public
    key, stored at its first ballot, may have been stored: it is the same in any case.)
    """
    round_area_id = facts.round_area_id
    costs = kept_for(
        "costs",
        round_area_id,
        facts.created_at,
        True,
        lambda: {
            r.id: r.cost_cents for r in link.all(ITEM_COSTS, {"round_area_id": round_area_id})
        },
    )
    rules = rules_of(facts, facts.budget_cents)
    try:
        check_ballot(choices, costs, rules)
    except BallotProblem:
        return False
    public = public_key(facts)
    if facts.ballot_public_key is None:  # the round's first ballot stores its key
        link.run(_STORE_KEY, {"round_id": facts.round_id, "public": public})
    envelope = sealing.seal(public, choices, today_nl(), False, len(costs), receipt=receipt)
    ballot_id = secrets.token_hex(16)
    if link.dialect_name == "postgresql":
        marked = link.run(
            _MARK_USED_AND_SEAL,
            {
                "used": CodeStatus.USED.value,
                "issued": CodeStatus.ISSUED.value,
                "code_id": facts.code_id,
                "ballot_id": ballot_id,
                "round_area_id": round_area_id,
                "envelope": envelope,
            },
        )
        return marked == 1
    if link.run(_MARK_USED, {"code_id": facts.code_id}) != 1:
        return False
    link.run(
        _SEAL,
        {"id": ballot_id, "round_area_id": round_area_id, "envelope": envelope, "pseudonym": None},
    )
    return True


def public_key(facts) -> str:
    """Return the round's public key as BALLOT_KEY derives it (once per process and key)."""
    return _public_key_hex(ballot_key(), facts.round_id)


def ballot_type(facts) -> str:
    """Return the round's ballot type ("approval", "knapsack" or "cumulative")."""
    return BallotType(facts.ballot_type).value


@functools.lru_cache(maxsize=64)
def _public_key_hex(key: bytes, round_id: int) -> str:
    """Return the round's public key under a BALLOT_KEY (derived once per process)."""
    return sealing.public_key_hex(round_id)
