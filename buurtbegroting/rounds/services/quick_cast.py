"""Casting a ballot with a voting code in its own area, the common case, without the ORM.

Most ballots of a round are a code voting once in the area it was issued for. Loading the
code, its area and its round as ORM objects, and sending the statements through the ORM
session, was most of the processor time of such a ballot (``bench/vote.py``). This path reads
the few facts it needs in one light query and writes with two prebuilt statements on the
caller's connection, in one transaction of its own (no ORM session); ``casting.cast_ballot``
stays the one general path.

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
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Integer, LargeBinary, Row, String, bindparam, select, text

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.domain.rounds import BallotProblem, BallotRules, Phase, check_ballot, phase_at
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
from buurtbegroting.rounds.services.counts import item_costs_of
from buurtbegroting.rounds.services.display import kept_for

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

#: PostgreSQL: both in one statement, which is its own transaction (see ``statements_commit``):
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


def plain_case(connection: Connection, round_area_id: int, code_hash: str) -> Row | None:
    """Return the facts of a code voting in its own area now, or None when it is not that case.

    The facts (a row): ``code_id``, ``round_area_id``, ``round_id``, ``ballot_type`` (its
    value), ``allows_second_area``, and what ``cast`` needs. Nothing is written.
    """
    facts = code_facts(connection, code_hash)
    if (
        facts is None
        or facts.round_area_id != round_area_id
        or CodeStatus(facts.status) != CodeStatus.ISSUED
        or facts.allow_ballot_changes  # an earlier envelope may be replaced: general path
        # A key other than BALLOT_KEY's: the general path logs the fault and refuses.
        or facts.ballot_public_key not in (None, public_key(facts))
    ):
        return None
    return facts if phase_of(facts) == Phase.VOTING else None


def code_facts(connection: Connection, code_hash: str) -> Row | None:
    """Return the facts of a code, its area and its round in one light query, or None."""
    return connection.execute(_FACTS, {"code_hash": code_hash}).first()


def phase_of(facts: Row) -> Phase:
    """Return the phase the code's round is in now."""
    return phase_at(
        datetime.now(UTC),
        submission_opens_at=facts.submission_opens_at,
        review_opens_at=facts.review_opens_at,
        voting_opens_at=facts.voting_opens_at,
        voting_closes_at=facts.voting_closes_at,
        closed_at=facts.closed_at,
        published_at=facts.published_at,
    )


def cast(connection: Connection, facts: Row, choices: dict[int, int], receipt: str) -> bool:
    """Seal the ballot and mark the code used, in the connection's transaction (not committed).

    False: the ballot does not meet the rules, or the code was used a moment ago; nothing
    was written, and the general path says what is wrong.
    """
    round_area_id = facts.round_area_id
    costs = kept_for(
        "costs",
        round_area_id,
        facts.created_at,
        True,
        lambda: item_costs_of(round_area_id, connection),
    )
    rules = BallotRules(
        ballot_type=ballot_type(facts),
        budget_cents=facts.budget_cents,
        min_choices=facts.min_choices or 0,
        max_choices=facts.max_choices,
        knapsack_min_percent=facts.knapsack_min_percent or 0,
        cumulative_points=facts.cumulative_points,
        cumulative_max_per_idea=facts.cumulative_max_per_idea,
    )
    try:
        check_ballot(choices, costs, rules)
    except BallotProblem:
        return False
    public = public_key(facts)
    if facts.ballot_public_key is None:  # the round's first ballot stores its key
        connection.execute(_STORE_KEY, {"round_id": facts.round_id, "public": public})
    envelope = sealing.seal(public, choices, today_nl(), False, len(costs), receipt=receipt)
    ballot = {"ballot_id": secrets.token_hex(16), "round_area_id": round_area_id}
    if connection.dialect.name == "postgresql":
        marked = connection.execute(
            _MARK_USED_AND_SEAL, {**ballot, "code_id": facts.code_id, "envelope": envelope}
        )
        return marked.rowcount == 1
    if connection.execute(_MARK_USED, {"code_id": facts.code_id}).rowcount != 1:
        return False
    connection.execute(
        _SEAL,
        {
            "id": ballot["ballot_id"],
            "round_area_id": round_area_id,
            "envelope": envelope,
            "pseudonym": None,
        },
    )
    return True


@contextmanager
def statements_commit(connection: Connection):
    """On PostgreSQL, let every statement on the connection be its own transaction.

    The quick path's writes are one statement (``_MARK_USED_AND_SEAL``), so it needs no
    BEGIN and COMMIT round trips; the network count after it is a statement of its own too
    (``record_network``). A connection just taken from the pool has no transaction open;
    it goes back in transaction mode. Elsewhere (SQLite) the connection keeps its
    transaction, which the caller commits.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    driver = connection.connection.driver_connection
    driver.autocommit = True
    try:
        yield
    finally:
        driver.autocommit = False


def public_key(facts: Row) -> str:
    """Return the round's public key as BALLOT_KEY derives it (once per process and key)."""
    return _public_key_hex(ballot_key(), facts.round_id)


def ballot_type(facts: Row) -> str:
    """Return the round's ballot type ("approval", "knapsack" or "cumulative")."""
    return BallotType(facts.ballot_type).value


@functools.lru_cache(maxsize=64)
def _public_key_hex(key: bytes, round_id: int) -> str:
    """Return the round's public key under a BALLOT_KEY (derived once per process)."""
    return sealing.public_key_hex(round_id)
