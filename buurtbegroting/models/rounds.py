"""Budget rounds: areas with budgets, ballot items, voting codes, ballots and results."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from buurtbegroting.extensions import db
from buurtbegroting.models.areas import Area
from buurtbegroting.models.ideas import Idea
from buurtbegroting.models.types import (
    HasId,
    area_fk,
    children,
    empty_text,
    enum_column,
    idea_fk,
    key_part,
    long_text,
    owned_by_round,
    owned_by_round_area,
    str40,
    str64,
    str120,
    str200,
    timestamp,
    user_fk,
    utc_time,
)
from buurtbegroting.models.users import User


class BallotType(enum.StrEnum):
    """How a voter fills in the ballot."""

    APPROVAL = "approval"
    KNAPSACK = "knapsack"
    CUMULATIVE = "cumulative"


class OutcomeRule(enum.StrEnum):
    """How the winners are found (rules of the tally engine)."""

    GREEDY = "greedy"
    EQUAL_SHARES = "equal_shares"


class VoterIdentification(enum.StrEnum):
    """Who may vote: holders of a code from a letter, logged-in residents, or both."""

    CODE = "code"
    ACCOUNT = "account"
    BOTH = "both"


class CodeStatus(enum.StrEnum):
    """What happened to a voting code or cheque code."""

    ISSUED = "issued"
    USED = "used"
    VOID = "void"
    EXPIRED = "expired"


class BudgetRound(HasId, db.Model):
    """A neighbourhood-budget round: set-up, phases, ballot rules, and when it was closed."""

    __tablename__ = "budget_rounds"

    name: Mapped[str120]
    description: Mapped[empty_text]
    #: Phase dates (UTC); the phase itself is computed from these and the closing flags.
    submission_opens_at: Mapped[utc_time]
    review_opens_at: Mapped[utc_time]
    voting_opens_at: Mapped[utc_time]
    voting_closes_at: Mapped[utc_time]
    results_at: Mapped[utc_time]
    ballot_type: Mapped[BallotType] = mapped_column(
        enum_column(BallotType), default=BallotType.APPROVAL
    )
    min_choices: Mapped[int] = mapped_column(default=1)
    #: Approval: the most ideas a voter may choose (None: no limit).
    max_choices: Mapped[int | None]
    #: Knapsack: the voter must spend at least this share of the area's budget (0-100).
    knapsack_min_percent: Mapped[int] = mapped_column(default=0)
    #: Cumulative: points per voter, and the most points on one idea.
    cumulative_points: Mapped[int | None]
    cumulative_max_per_idea: Mapped[int | None]
    rule: Mapped[OutcomeRule] = mapped_column(enum_column(OutcomeRule), default=OutcomeRule.GREEDY)
    #: "lexicographic", "cheaper", "listed" (ballot order) or "seed:<number>".
    tie_break: Mapped[str40] = mapped_column(default="cheaper")
    #: An idea needs at least this share of the voters (0-100) to win; None: no threshold.
    threshold_percent: Mapped[int | None]
    rule_explanation: Mapped[empty_text]
    min_age: Mapped[int] = mapped_column(default=12)
    residence_required: Mapped[bool] = mapped_column(default=True)
    identification: Mapped[VoterIdentification] = mapped_column(
        enum_column(VoterIdentification), default=VoterIdentification.BOTH
    )
    #: True: a voter votes in their own area only; False: in every area of the round.
    own_area_only: Mapped[bool] = mapped_column(default=True)
    allow_ballot_changes: Mapped[bool] = mapped_column(default=False)
    #: True: after voting in the own area, a voter may vote in ONE other area of the round.
    allows_second_area: Mapped[bool] = mapped_column(default=False)
    show_live_results: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]
    closed_at: Mapped[utc_time | None]
    closed_by_id: Mapped[user_fk | None]
    #: Why the round was closed before the end of voting (required then).
    close_reason: Mapped[long_text | None]
    published_at: Mapped[utc_time | None]
    #: The public key (hex) ballots of this round are sealed to, set at the first ballot.
    #: The private key is never stored: it is derived from BALLOT_KEY (see rounds/sealing.py).
    ballot_public_key: Mapped[str64 | None]

    areas: Mapped[list[RoundArea]] = children("RoundArea.id", "round")
    closed_by: Mapped[User | None] = relationship()


class RoundArea(HasId, db.Model):
    """One area of a round, with its own budget, ballot and result."""

    __tablename__ = "round_areas"
    __table_args__ = (
        UniqueConstraint("round_id", "area_id"),
        CheckConstraint("budget_cents >= 0", name="budget_not_negative"),
    )

    round_id: Mapped[owned_by_round]
    area_id: Mapped[area_fk]
    budget_cents: Mapped[int]
    #: Residents who may vote here (for turnout); None when unknown.
    eligible_count: Mapped[int | None]
    #: The stored outcome with explanations (JSON from the tally engine), once closed.
    result: Mapped[dict | None] = mapped_column(JSON)
    ballot_count: Mapped[int | None]
    #: The anonymised ballots as a Pabulib file, and its SHA-256, once closed.
    #: Both texts are large after closing and read only where they are downloaded or
    #: searched: deferred, so loading a round area (a code, a results page) leaves them out.
    pb_file: Mapped[long_text | None] = mapped_column(deferred=True)
    pb_sha256: Mapped[str64 | None]
    #: The receipt numbers of the counted ballots, sorted, one a line, once closed. Never on
    #: a ballot row: the list says which numbers were counted, not what their ballots say.
    receipt_numbers: Mapped[long_text | None] = mapped_column(deferred=True)

    round: Mapped[BudgetRound] = relationship(back_populates="areas")
    area: Mapped[Area] = relationship()
    items: Mapped[list[BallotItem]] = children("BallotItem.position", "round_area")


#: Whether the area's receipt numbers are published (without loading them).
RoundArea.has_receipt_numbers = column_property(RoundArea.__table__.c.receipt_numbers.is_not(None))


class BallotItem(HasId, db.Model):
    """An accepted idea on the ballot of an area, with its final cost."""

    __tablename__ = "ballot_items"
    __table_args__ = (UniqueConstraint("round_area_id", "idea_id"),)

    round_area_id: Mapped[owned_by_round_area]
    idea_id: Mapped[idea_fk]
    cost_cents: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    round_area: Mapped[RoundArea] = relationship(back_populates="items")
    idea: Mapped[Idea] = relationship()


class VotingCode(HasId, db.Model):
    """A single-use voting code for one area of a round, kept only as a keyed hash."""

    __tablename__ = "voting_codes"

    round_area_id: Mapped[owned_by_round_area]
    #: HMAC-SHA256 of the normalised code under CODE_HASH_KEY.
    code_hash: Mapped[str64] = mapped_column(unique=True)
    status: Mapped[CodeStatus] = mapped_column(enum_column(CodeStatus), default=CodeStatus.ISSUED)
    issued_at: Mapped[timestamp]
    #: Why the code was made void (lost letter, re-issued).
    void_reason: Mapped[str200 | None]
    #: The code issued in place of this one.
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("voting_codes.id"))
    #: The one other area of the round this code voted in (rounds with ``allows_second_area``).
    second_round_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("round_areas.id", ondelete="SET NULL")
    )

    round_area: Mapped[RoundArea] = relationship(foreign_keys="VotingCode.round_area_id")


class RoundVoter(db.Model):
    """An account that has voted in an area of a round; never linked to its ballot.

    No sequence number: the order of these rows must not line up with the order of ballots.
    """

    __tablename__ = "round_voters"

    round_area_id: Mapped[int] = key_part("round_areas.id")
    user_id: Mapped[int] = key_part("users.id")


class SecondAreaVoter(db.Model):
    """An account that used its one vote outside its own area in a round (one row at most).

    The key (round, account) makes a second "other" area impossible, also when two ballots
    arrive at once. Like RoundVoter it is never linked to a ballot.
    """

    __tablename__ = "second_area_voters"

    round_id: Mapped[int] = key_part("budget_rounds.id")
    user_id: Mapped[int] = key_part("users.id")
    round_area_id: Mapped[int] = mapped_column(ForeignKey("round_areas.id", ondelete="CASCADE"))


class SealedBallot(db.Model):
    """A ballot during voting: its choices sealed to the round's public key, unreadable here.

    Stored in the same transaction as the "code used / account voted" mark, so whoever reads
    the database sees that a ballot was cast then, but not what it says. Opened, shuffled and
    destroyed at closing (rounds/closing.py); see docs/security.md.
    """

    __tablename__ = "sealed_ballots"

    #: Random: says nothing about who voted when.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_area_id: Mapped[owned_by_round_area]
    #: A libsodium sealed box of the padded choices and the day; same length in an area.
    envelope: Mapped[bytes] = mapped_column(LargeBinary)
    #: Only when ballots may be changed: a keyed pseudonym of voter and round to replace it.
    pseudonym: Mapped[str64 | None] = mapped_column(unique=True)


class Ballot(db.Model):
    """The choices of one voter in one area, written at closing in a shuffled order.

    Never linked to a person, account, code or envelope; during voting this table is empty
    (ballots are sealed envelopes until the round is closed).
    """

    __tablename__ = "ballots"

    #: Random, drawn at closing; the rows are written in the order of these ids.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_area_id: Mapped[owned_by_round_area]
    #: The day only: no finer time is kept.
    cast_on: Mapped[date]
    is_paper: Mapped[bool] = mapped_column(default=False)

    choices: Mapped[list[BallotChoice]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan"
    )


class BallotChoice(db.Model):
    """One idea chosen on a ballot, with its points (1 for approval and knapsack).

    No sequence number either, for the same reason as RoundVoter.
    """

    __tablename__ = "ballot_choices"
    __table_args__ = (CheckConstraint("points > 0", name="points_positive"),)

    ballot_id: Mapped[str] = key_part("ballots.id")
    ballot_item_id: Mapped[int] = key_part("ballot_items.id", index=True)
    points: Mapped[int] = mapped_column(default=1)

    ballot: Mapped[Ballot] = relationship(back_populates="choices")
    item: Mapped[BallotItem] = relationship()


class NetworkSignal(HasId, db.Model):
    """Ballots per day from one network prefix (a salted hash), to spot bulk use of letters."""

    __tablename__ = "network_signals"
    __table_args__ = (UniqueConstraint("round_id", "day", "prefix_hash"),)

    round_id: Mapped[owned_by_round]
    day: Mapped[date]
    prefix_hash: Mapped[str64]
    ballots: Mapped[int] = mapped_column(default=0)


class PaperEntry(HasId, db.Model):
    """A paper ballot typed in by one person in double-entry mode, before it is saved."""

    __tablename__ = "paper_entries"
    __table_args__ = (UniqueConstraint("round_area_id", "batch", "entry", "position"),)

    round_area_id: Mapped[owned_by_round_area]
    #: A name for the stack of paper ballots, e.g. "Stembus Ruwaard 1".
    batch: Mapped[str] = mapped_column(String(60))
    #: 1 or 2: who typed it.
    entry: Mapped[int]
    position: Mapped[int]
    entered_by_id: Mapped[user_fk | None]
    #: {"ballot_item_id": points, ...}
    choices: Mapped[dict] = mapped_column(JSON)
    #: The code printed on the paper ballot, as a keyed hash, when one was given.
    code_hash: Mapped[str64 | None]


class ResultOverride(HasId, db.Model):
    """An administrator's decision, after closing, not to fund a computed winner.

    The computed result of the area stays stored and published; this row is shown next to
    it. ``result`` is the tally recomputed without every overridden idea of the area, and
    ``replacement_idea_ids`` the ideas that were funded in its place because of it.
    """

    __tablename__ = "result_overrides"
    __table_args__ = (UniqueConstraint("round_area_id", "idea_id"),)

    round_area_id: Mapped[owned_by_round_area]
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id"))
    reason: Mapped[long_text]
    created_by_id: Mapped[user_fk | None]
    created_at: Mapped[timestamp]
    replacement_idea_ids: Mapped[list] = mapped_column(JSON, default=list)
    result: Mapped[dict] = mapped_column(JSON)

    round_area: Mapped[RoundArea] = relationship()
    idea: Mapped[Idea] = relationship()
    created_by: Mapped[User | None] = relationship()


class BallotStart(db.Model):
    """An account opened the ballot of a round: for one reminder if it does not confirm.

    Holds no choices and no time: only that this account started voting in this round
    (docs/security.md says what that reveals). Deleted when the round is closed.
    """

    __tablename__ = "ballot_starts"

    round_id: Mapped[int] = key_part("budget_rounds.id")
    user_id: Mapped[int] = key_part("users.id")
    is_reminded: Mapped[bool] = mapped_column(default=False)
