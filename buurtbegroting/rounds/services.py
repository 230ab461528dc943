"""Budget-round services: set-up, voting codes, casting ballots, closing and results."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from buurtbegroting import audit
from buurtbegroting.domain import DomainError
from buurtbegroting.domain.codes import InvalidCode, code_hash, normalize_code
from buurtbegroting.domain.rounds import BallotProblem, BallotRules, Phase, check_ballot, phase_at
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Ballot,
    BallotChoice,
    BallotItem,
    BudgetRound,
    CodeStatus,
    Destination,
    Idea,
    IdeaStatus,
    NetworkSignal,
    RoundArea,
    RoundVoter,
    User,
    VoterIdentification,
    VotingCode,
    utcnow,
)
from buurtbegroting.permissions import area_contains
from buurtbegroting.templating import format_cents

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class VoteRefused(DomainError):
    """The vote (or set-up change) cannot go ahead; ``messages`` are translated."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)


# --- keys, phases, rules -------------------------------------------------------------------


def _key() -> bytes:
    return (current_app.config.get("CODE_HASH_KEY") or current_app.config["SECRET_KEY"]).encode()


def voting_code_hash(code: str) -> str:
    """Return the stored form of a normalised voting code."""
    return code_hash(code, _key(), "vote")


def today_local() -> date:
    """Return today's date in the Netherlands."""
    return datetime.now(AMSTERDAM).date()


def phase(round_: BudgetRound, now: datetime | None = None) -> Phase:
    """Return the phase the round is in now."""
    return phase_at(
        now or datetime.now(UTC),
        submission_opens_at=round_.submission_opens_at,
        review_opens_at=round_.review_opens_at,
        voting_opens_at=round_.voting_opens_at,
        voting_closes_at=round_.voting_closes_at,
        closed_at=round_.closed_at,
        published_at=round_.published_at,
    )


def is_locked(round_: BudgetRound) -> bool:
    """Tell whether ballot type, rule, budgets and ballot items can no longer change (voting started)."""
    return phase(round_) in (Phase.VOTING, Phase.COUNTING, Phase.CLOSED, Phase.PUBLISHED)


def ballot_rules(round_area: RoundArea) -> BallotRules:
    """Return the ballot rules of an area of a round."""
    r = round_area.round
    return BallotRules(
        ballot_type=r.ballot_type.value,
        budget_cents=round_area.budget_cents,
        min_choices=r.min_choices or 0,
        max_choices=r.max_choices,
        knapsack_min_percent=r.knapsack_min_percent or 0,
        cumulative_points=r.cumulative_points,
        cumulative_max_per_idea=r.cumulative_max_per_idea,
    )


def ballot_problem_message(problem: BallotProblem):
    """Translate a ballot problem into a sentence for the voter."""
    p = problem.params
    messages = {
        "unknown_item": lambda: _l("Your ballot names an idea that is not on this ballot."),
        "bad_points": lambda: _l("Points must be whole numbers above zero."),
        "too_few": lambda: _l(
            "Choose at least %(num)d ideas. You chose %(chosen)d.",
            num=p["minimum"],
            chosen=p["chosen"],
        ),
        "too_many": lambda: _l(
            "Choose at most %(num)d ideas. You chose %(chosen)d.",
            num=p["maximum"],
            chosen=p["chosen"],
        ),
        "over_budget": lambda: _l(
            "Your choice costs %(total)s, which is %(over)s more than the budget of %(budget)s. Remove an idea.",
            total=format_cents(p["total"]),
            over=format_cents(p["over"]),
            budget=format_cents(p["budget"]),
        ),
        "under_minimum": lambda: _l(
            "Spend at least %(percent)d%% of the budget (%(needed)s). Your choice costs %(total)s.",
            percent=p["percent"],
            needed=format_cents(p["needed"]),
            total=format_cents(p["total"]),
        ),
        "too_many_points": lambda: _l(
            "You may give %(num)d points in total. You gave %(given)d.",
            num=p["maximum"],
            given=p["given"],
        ),
        "too_many_on_one": lambda: _l(
            "You may give at most %(num)d points to one idea.", num=p["maximum"]
        ),
        "unknown_type": lambda: _l("This ballot cannot be filled in."),
    }
    return messages[problem.code]()


# --- set-up --------------------------------------------------------------------------------


def candidate_ideas(round_area: RoundArea) -> list[Idea]:
    """Return the ideas accepted for a vote in the area (or below it) that are not on a ballot yet."""
    taken = select(BallotItem.idea_id)
    ideas = db.session.scalars(
        select(Idea)
        .where(
            Idea.status == IdeaStatus.ACCEPTED,
            Idea.destination == Destination.BUDGET_ROUND,
            Idea.id.not_in(taken),
        )
        .options(selectinload(Idea.area), selectinload(Idea.cost_lines))
        .order_by(Idea.title)
    ).all()
    return [idea for idea in ideas if area_contains(round_area.area, idea.area)]


def add_ballot_item(round_area: RoundArea, idea: Idea, actor: User) -> BallotItem:
    """Put an accepted idea on the area's ballot with its final cost (before voting starts)."""
    if is_locked(round_area.round):
        raise VoteRefused([_l("Voting has started: the ballot can no longer change.")])
    if idea.status != IdeaStatus.ACCEPTED or idea.destination != Destination.BUDGET_ROUND:
        raise VoteRefused([_l("Only ideas accepted for a vote can be put on a ballot.")])
    if not area_contains(round_area.area, idea.area):
        raise VoteRefused([_l("This idea belongs to another area.")])
    if db.session.scalar(select(BallotItem.id).where(BallotItem.idea_id == idea.id)) is not None:
        raise VoteRefused([_l("This idea is already on a ballot.")])
    position = len(round_area.items)
    item = BallotItem(
        round_area=round_area, idea=idea, cost_cents=idea.cost_cents, position=position
    )
    db.session.add(item)
    db.session.flush()
    audit.record(
        actor,
        "round.ballot_item_added",
        round_area.round,
        summary=idea.title,
        after={"idea_id": idea.id, "cost_cents": item.cost_cents, "area": round_area.area.code},
    )
    return item


def remove_ballot_item(item: BallotItem, actor: User) -> None:
    """Take an idea off the ballot (before voting starts)."""
    round_area = item.round_area
    if is_locked(round_area.round):
        raise VoteRefused([_l("Voting has started: the ballot can no longer change.")])
    audit.record(
        actor,
        "round.ballot_item_removed",
        round_area.round,
        summary=item.idea.title,
        before={"idea_id": item.idea_id, "cost_cents": item.cost_cents},
    )
    db.session.delete(item)
    db.session.flush()


# --- voting codes --------------------------------------------------------------------------


def find_code(round_: BudgetRound, text: str) -> VotingCode:
    """Return the voting code typed or scanned for this round, or refuse with a clear reason."""
    try:
        normalized = normalize_code(text)
    except InvalidCode as error:
        if error.reason == "check":
            raise VoteRefused(
                [_l("This code has a typing error. Check every character.")]
            ) from None
        raise VoteRefused(
            [_l("A voting code has 13 letters and digits, like ABCD-EFGH-JKMNP.")]
        ) from None
    code = db.session.scalar(
        select(VotingCode)
        .where(VotingCode.code_hash == voting_code_hash(normalized))
        .options(selectinload(VotingCode.round_area).selectinload(RoundArea.round))
    )
    if code is None:
        raise VoteRefused(
            [_l("We do not know this code. Check it, or ask the municipality for help.")]
        )
    if code.round_area.round_id != round_.id:
        raise VoteRefused([_l("This code belongs to another voting round.")])
    if code.status == CodeStatus.VOID:
        raise VoteRefused([_l("This code is no longer valid. A new code was issued in its place.")])
    if code.status == CodeStatus.USED and not round_.allow_ballot_changes:
        raise VoteRefused([_l("This code has already been used to vote.")])
    return code


# --- eligibility (accounts) ----------------------------------------------------------------


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
    if (
        age_on(user.birth_date, round_.voting_closes_at.astimezone(AMSTERDAM).date())
        < round_.min_age
    ):
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


# --- casting -------------------------------------------------------------------------------


def _pseudonym(round_: BudgetRound, voter_key: str) -> str:
    return hmac.new(_key(), f"ballot:{round_.id}:{voter_key}".encode(), hashlib.sha256).hexdigest()


def network_prefix(address: str | None) -> str | None:
    """Return the /24 (IPv4) or /48 (IPv6) network of an address, or None."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{bits}", strict=False))


def _record_network(round_: BudgetRound, address: str | None) -> None:
    prefix = network_prefix(address)
    if prefix is None:
        return
    salt = hmac.new(_key(), f"network-salt:{round_.id}".encode(), hashlib.sha256).digest()
    digest = hmac.new(salt, prefix.encode(), hashlib.sha256).hexdigest()
    day = today_local()
    # Plain table statements: this runs for every ballot, the ORM's bookkeeping is not needed.
    table = NetworkSignal.__table__
    condition = (table.c.round_id == round_.id, table.c.day == day, table.c.prefix_hash == digest)
    bump = update(table).where(*condition).values(ballots=table.c.ballots + 1)
    if db.session.execute(bump).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(
                table.insert().values(round_id=round_.id, day=day, prefix_hash=digest, ballots=1)
            )
    except IntegrityError:
        db.session.execute(bump)


def cast_ballot(
    round_area: RoundArea,
    choices: dict[int, int],
    *,
    code: VotingCode | None = None,
    user: User | None = None,
    is_paper: bool = False,
    client_address: str | None = None,
) -> Ballot:
    """Store a ballot and mark the code or account as having voted, in one transaction; flush only.

    The ballot never references the code or account. When the round allows changes, a keyed
    pseudonym of voter and round finds an earlier ballot to replace.
    """
    round_ = round_area.round
    current = phase(round_)
    allowed = (Phase.VOTING, Phase.COUNTING) if is_paper else (Phase.VOTING,)
    if current not in allowed:
        raise VoteRefused([_l("Voting is not open in this round.")])
    try:
        check_ballot(choices, item_costs(round_area), ballot_rules(round_area))
    except BallotProblem as problem:
        raise VoteRefused([ballot_problem_message(problem)]) from None

    pseudonym = None
    if round_.allow_ballot_changes and not is_paper and (code is not None or user is not None):
        pseudonym = _pseudonym(
            round_, f"code:{code.code_hash}" if code is not None else f"user:{user.id}"
        )
        earlier = db.session.scalar(select(Ballot).where(Ballot.pseudonym == pseudonym))
        if earlier is not None:
            if earlier.round_area_id != round_area.id:
                raise VoteRefused([_l("You have already voted in another area of this round.")])
            earlier.choices = [
                BallotChoice(ballot_item_id=i, points=p) for i, p in sorted(choices.items())
            ]
            earlier.cast_on = today_local()
            db.session.flush()
            return earlier

    if code is not None:
        if code.round_area_id != round_area.id:
            raise VoteRefused([_l("This code belongs to another area.")])
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

    ballot = Ballot(
        id=secrets.token_hex(16),
        round_area_id=round_area.id,
        cast_on=today_local(),
        pseudonym=pseudonym,
        is_paper=is_paper,
    )
    ballot.choices = [BallotChoice(ballot_item_id=i, points=p) for i, p in sorted(choices.items())]
    db.session.add(ballot)
    if not is_paper:
        _record_network(round_, client_address)
    db.session.flush()
    return ballot


# --- counts --------------------------------------------------------------------------------


def ballot_counts(round_area_ids: list[int]) -> dict[int, int]:
    """Return the number of ballots per area of a round."""
    rows = db.session.execute(
        select(Ballot.round_area_id, func.count(Ballot.id))
        .where(Ballot.round_area_id.in_(round_area_ids))
        .group_by(Ballot.round_area_id)
    ).all()
    return {row[0]: row[1] for row in rows}


def live_scores(round_area: RoundArea) -> dict[int, int]:
    """Return the points per ballot item so far (only for rounds that show live results)."""
    rows = db.session.execute(
        select(BallotChoice.ballot_item_id, func.sum(BallotChoice.points))
        .join(BallotItem)
        .where(BallotItem.round_area_id == round_area.id)
        .group_by(BallotChoice.ballot_item_id)
    ).all()
    return {item_id: int(total) for item_id, total in rows}


@dataclass
class AreaChoice:
    """An area of a round where someone may vote, for the voting start page."""

    round_area: RoundArea
    voted: bool


def areas_of(round_ids: list[int]) -> list[RoundArea]:
    """Return the round areas of the given rounds, areas loaded."""
    return list(
        db.session.scalars(
            select(RoundArea)
            .where(RoundArea.round_id.in_(round_ids))
            .options(selectinload(RoundArea.area))
        )
    )


def open_rounds() -> list[BudgetRound]:
    """Return the rounds in which voting is open now."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(BudgetRound)
            .where(
                BudgetRound.voting_opens_at <= now,
                BudgetRound.voting_closes_at > now,
                BudgetRound.closed_at.is_(None),
            )
            .options(selectinload(BudgetRound.areas).selectinload(RoundArea.area))
            .order_by(BudgetRound.voting_closes_at)
        )
    )


def area_for_voting(round_area_id: int) -> RoundArea | None:
    """Return a round area with its round and area in one query: enough to vote."""
    return db.session.scalar(
        select(RoundArea)
        .where(RoundArea.id == round_area_id)
        .options(joinedload(RoundArea.round), joinedload(RoundArea.area))
    )


def item_costs(round_area: RoundArea) -> dict[int, int]:
    """Return {ballot item id: cost in cents} of an area's ballot (one light query)."""
    rows = db.session.execute(
        select(BallotItem.id, BallotItem.cost_cents).where(
            BallotItem.round_area_id == round_area.id
        )
    )
    return {row.id: row.cost_cents for row in rows}


def area_by_id(round_area_id: int) -> RoundArea | None:
    """Return a round area with its round, area and ballot items loaded."""
    return db.session.scalar(
        select(RoundArea)
        .where(RoundArea.id == round_area_id)
        .options(
            selectinload(RoundArea.round),
            selectinload(RoundArea.area),
            selectinload(RoundArea.items).selectinload(BallotItem.idea).selectinload(Idea.photos),
        )
    )
