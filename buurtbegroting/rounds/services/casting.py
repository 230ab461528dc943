"""Who may vote, and casting a ballot with a code or an account (once)."""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import secrets
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from buurtbegroting.domain.codes import InvalidCode, normalize_code
from buurtbegroting.domain.dates import NL_ZONE, today_nl
from buurtbegroting.domain.rounds import BallotProblem, Phase, check_ballot
from buurtbegroting.extensions import db
from buurtbegroting.keys import code_hash_key
from buurtbegroting.models import (
    BudgetRound,
    CodeStatus,
    NetworkSignal,
    RoundArea,
    RoundVoter,
    SealedBallot,
    User,
    VoterIdentification,
    VotingCode,
)
from buurtbegroting.permissions import area_contains
from buurtbegroting.rounds import sealing
from buurtbegroting.rounds.services import links
from buurtbegroting.rounds.services.display import ballot_costs
from buurtbegroting.rounds.services.links import Link
from buurtbegroting.rounds.services.phases import (
    VoteRefused,
    ballot_problem_message,
    ballot_rules,
    code_problem_message,
    phase,
    voting_code_hash,
)


def find_code(round_: BudgetRound, text: str) -> VotingCode:
    """Return the voting code typed or scanned for this round, or refuse with a clear reason."""
    try:
        normalized = normalize_code(text)
    except InvalidCode as error:
        raise VoteRefused([code_problem_message(error)]) from None
    code = code_by_hash(voting_code_hash(normalized))
    if code is None:
        raise VoteRefused(
            [_l("We do not know this code. Check it, or ask the municipality for help.")]
        )
    if code.round_area.round_id != round_.id:
        raise VoteRefused([_l("This code belongs to another voting round.")])
    check_code(code)
    return code


#: A code with its area, round and place (built once: every voting page runs it).
_CODE_BY_HASH = (
    select(VotingCode)
    .where(VotingCode.code_hash == bindparam("code_hash"))
    .options(
        joinedload(VotingCode.round_area).joinedload(RoundArea.round),
        joinedload(VotingCode.round_area).joinedload(RoundArea.area),
    )
)


def code_by_hash(code_hash: str) -> VotingCode | None:
    """Return the code with its area, round and place in one query, or None."""
    return db.session.scalar(_CODE_BY_HASH, {"code_hash": code_hash})


def check_code(code: VotingCode) -> None:
    """Refuse a code that was made void, or used when ballots cannot be changed."""
    refusal = code_refusal(code.status, code.round_area.round.allow_ballot_changes)
    if refusal is not None:
        raise VoteRefused([refusal])


def code_refusal(status: CodeStatus, allow_ballot_changes: bool):
    """Return why a code with this status cannot vote (a message), or None when it can."""
    if status == CodeStatus.VOID:
        return _l("This code is no longer valid. A new code was issued in its place.")
    if status == CodeStatus.USED and not allow_ballot_changes:
        return _l("This code has already been used to vote.")
    return None


def age_on(birth_date: date, day: date) -> int:
    """Return the age in whole years on a day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def account_areas(round_: BudgetRound, user: User) -> list[RoundArea]:
    """Return the areas of the round in which the account may vote."""
    if round_.identification == VoterIdentification.CODE:
        return []
    areas = list(round_.areas)
    if round_.residence_required or round_.own_area_only:
        if user.area is None:
            return []
        areas = [ra for ra in areas if area_contains(ra.area, user.area)]
    return areas


def check_account(round_area: RoundArea, user: User) -> None:
    """Refuse unless the account may vote in this area now (age, residence, not voted yet)."""
    round_ = round_area.round
    if round_.identification == VoterIdentification.CODE:
        raise VoteRefused([_l("In this round you vote with the code from your letter.")])
    if round_area not in account_areas(round_, user):
        raise VoteRefused([_l("You can only vote in the area where you live.")])
    if user.birth_date is None:
        raise VoteRefused([_l("Fill in your date of birth first.")])
    if age_on(user.birth_date, round_.voting_closes_at.astimezone(NL_ZONE).date()) < round_.min_age:
        raise VoteRefused(
            [
                _l(
                    "You must be at least %(num)d years old to vote in this round.",
                    num=round_.min_age,
                )
            ]
        )
    if not round_.allow_ballot_changes and has_voted(round_area, user):
        raise VoteRefused([_l("You have already voted in this area.")])


def has_voted(round_area: RoundArea, user: User) -> bool:
    """Tell whether the account has voted in the area."""
    return db.session.get(RoundVoter, (round_area.id, user.id)) is not None


def _pseudonym(round_: BudgetRound, voter_key: str) -> str:
    return hmac.new(
        code_hash_key(), f"ballot:{round_.id}:{voter_key}".encode(), hashlib.sha256
    ).hexdigest()


@functools.lru_cache(maxsize=4096)
def network_prefix(address: str | None) -> str | None:
    """Return the /24 (IPv4) or /48 (IPv6) network of an address, or None.

    Kept per process for the addresses seen last: many ballots come from one address
    (a library, a carrier's gateway) and parsing it is a fifth of counting its network.
    """
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{bits}", strict=False))


def record_network(
    round_id: int, address: str | None, *, own_transaction: bool = False, link: Link | None = None
) -> None:
    """Count one ballot for the client's network prefix today (a salted hash).

    One statement adds the day's row or raises its count (an upsert: no read first, no
    savepoint). Without ``own_transaction`` it runs in the session's transaction (flush only).

    :param own_transaction: count at once, in a statement that is its own transaction (the
        voting page does this after the ballot's commit). Many voters behind one network (a
        library, a phone carrier) share the row; a lock on it held until a ballot's commit
        would make them vote one after another, and a count in the ballot's transaction would
        tie the network to the code it used.
    :param link: with ``own_transaction``, count on this link (after its ballot's commit)
        rather than on a pooled connection of its own.
    """
    values = network_values(round_id, address)
    if values is None:
        return
    if not own_transaction:
        db.session.execute(count_network(db.session.get_bind().dialect.name), values)
        return
    if link is not None:
        link.run(count_network(link.dialect_name), values)
        link.commit()
        return
    with links.link() as own:
        own.run(count_network(own.dialect_name), values)
        own.commit()


def network_values(round_id: int, address: str | None) -> dict | None:
    """Return the parameters of ``count_network`` for a ballot from this address, or None."""
    prefix = network_prefix(address)
    if prefix is None:
        return None
    salt = _network_salt(code_hash_key(), round_id)
    return {
        "round_id": round_id,
        "day": today_nl(),
        "prefix_hash": hmac.new(salt, prefix.encode(), hashlib.sha256).hexdigest(),
        "ballots": 1,
    }


@functools.lru_cache(maxsize=64)
def _network_salt(server_key: bytes, round_id: int) -> bytes:
    return hmac.new(server_key, f"network-salt:{round_id}".encode(), hashlib.sha256).digest()


@functools.cache
def count_network(dialect: str):
    """Return the upsert of a network's count (built once per database kind)."""
    table = NetworkSignal.__table__
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    statement = insert(table).values(
        {name: bindparam(name) for name in ("round_id", "day", "prefix_hash", "ballots")}
    )
    return statement.on_conflict_do_update(
        index_elements=[table.c.round_id, table.c.day, table.c.prefix_hash],
        set_={"ballots": table.c.ballots + statement.excluded.ballots},
    )


def _public_key(round_: BudgetRound) -> str:
    """Return the round's public sealing key, storing it at the first ballot."""
    derived = sealing.public_key_hex(round_.id)
    if round_.ballot_public_key is None:
        db.session.execute(
            update(BudgetRound)
            .where(BudgetRound.id == round_.id, BudgetRound.ballot_public_key.is_(None))
            .values(ballot_public_key=derived)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(round_, ["ballot_public_key"])
    if round_.ballot_public_key != derived:
        current_app.logger.error("BALLOT_KEY does not match the key of round %s", round_.id)
        raise VoteRefused(
            [_l("Voting is not possible right now because of a fault. Tell the municipality.")]
        )
    return derived


def cast_ballot(
    round_area: RoundArea,
    choices: dict[int, int],
    *,
    code: VotingCode | None = None,
    user: User | None = None,
    is_paper: bool = False,
    client_address: str | None = None,
    receipt: str | None = None,
) -> SealedBallot:
    """Seal a ballot and mark the code or account as having voted, in one transaction; flush only.

    The envelope never references the code or account, and its content can be read only
    with the round's private key, at closing. When the round allows changes, a keyed
    pseudonym of voter and round finds the earlier envelope, which is replaced.
    The receipt number (domain/receipts.py) goes inside the envelope and nowhere else.
    """
    from buurtbegroting.rounds.services import second_area

    round_ = round_area.round
    current = phase(round_)
    allowed = (Phase.VOTING, Phase.COUNTING) if is_paper else (Phase.VOTING,)
    if current not in allowed:
        raise VoteRefused([_l("Voting is not open in this round.")])
    costs = ballot_costs(round_area)
    try:
        check_ballot(choices, costs, ballot_rules(round_area))
    except BallotProblem as problem:
        raise VoteRefused([ballot_problem_message(problem)]) from None
    envelope = sealing.seal(
        _public_key(round_), choices, today_nl(), is_paper, len(costs), receipt=receipt
    )

    pseudonym = None
    if round_.allow_ballot_changes and not is_paper and (code is not None or user is not None):
        pseudonym = _pseudonym(
            round_, f"code:{code.code_hash}" if code is not None else f"user:{user.id}"
        )
        earlier = db.session.scalar(select(SealedBallot).where(SealedBallot.pseudonym == pseudonym))
        if earlier is not None:
            if earlier.round_area_id != round_area.id:
                raise VoteRefused([_l("You have already voted in another area of this round.")])
            earlier.envelope = envelope
            db.session.flush()
            return earlier

    if code is not None and code.round_area_id != round_area.id:
        second_area.mark_code(code, round_area)
    elif user is not None and second_area.is_second_for_account(round_area, user):
        second_area.mark_account(round_area, user)
    elif code is not None:
        codes = VotingCode.__table__
        marked = db.session.execute(
            update(codes)
            .where(codes.c.id == code.id, codes.c.status == CodeStatus.ISSUED.value)
            .values(status=CodeStatus.USED.value)
        )
        if marked.rowcount != 1:
            raise VoteRefused([_l("This code has already been used to vote.")])
    elif user is not None:
        if round_.own_area_only and db.session.scalar(
            select(func.count())
            .select_from(RoundVoter)
            .join(RoundArea)
            .where(RoundArea.round_id == round_.id, RoundVoter.user_id == user.id)
        ):
            raise VoteRefused([_l("You have already voted in this round.")])
        try:
            with db.session.begin_nested():
                db.session.add(RoundVoter(round_area_id=round_area.id, user_id=user.id))
        except IntegrityError:
            raise VoteRefused([_l("You have already voted in this area.")]) from None
    elif not is_paper:
        raise VoteRefused([_l("Vote with a code or log in first.")])

    # A plain insert: the unit of work's bookkeeping would cost more than the rest of casting.
    # The ballot returned is not in the session (nothing of it changes after casting).
    sealed = SealedBallot(
        id=secrets.token_hex(16),
        round_area_id=round_area.id,
        envelope=envelope,
        pseudonym=pseudonym,
    )
    db.session.execute(
        SealedBallot.__table__.insert(),
        {c: getattr(sealed, c) for c in ("id", "round_area_id", "envelope", "pseudonym")},
    )
    if not is_paper:
        record_network(round_.id, client_address)
    db.session.flush()
    return sealed
