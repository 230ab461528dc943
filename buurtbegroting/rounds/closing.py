"""Close a round once: freeze the ballots, tally every area, publish files and hashes, fund winners."""

from __future__ import annotations

import hashlib
import secrets
from fractions import Fraction
from itertools import groupby
from operator import itemgetter

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from buurtbegroting import audit, tally
from buurtbegroting.domain.dates import NL_ZONE
from buurtbegroting.domain.rounds import Phase, threshold_votes
from buurtbegroting.extensions import db
from buurtbegroting.follows.notify import notify
from buurtbegroting.models import (
    Ballot,
    BallotChoice,
    BallotItem,
    BallotStart,
    BudgetRound,
    FollowEvent,
    FundingSource,
    Idea,
    IdeaStatus,
    NetworkSignal,
    RoundArea,
    SealedBallot,
    User,
    utcnow,
)
from buurtbegroting.rounds import sealing
from buurtbegroting.rounds.services import VoteRefused, phase
from buurtbegroting.tally.engine import ROUND_RULES

VOTE_TYPES = {"approval": "approval", "knapsack": "approval", "cumulative": "cumulative"}


def _euros(cents: int) -> Fraction:
    return Fraction(cents, 100)


def _spot(idea) -> dict[str, str]:
    """Return the Pabulib ``latitude``/``longitude`` project columns of a located idea."""
    if idea.latitude is None or idea.longitude is None:
        return {}
    return {"latitude": f"{idea.latitude:.6f}", "longitude": f"{idea.longitude:.6f}"}


def build_election(round_area: RoundArea, rows) -> tally.Election:
    """Build the tally engine's election for an area from (ballot id, item id, points) rows.

    The rows must be ordered by ballot id. Ballots are numbered in the order of their random ids, so the file says nothing about
    who voted when. Amounts are in euros, so that a recount with pabutools (which adds one
    currency unit per voter in the add1 completion) gives the same outcome.
    """
    round_ = round_area.round
    # Item id -> (idea id, project id as text), worked out once for all ballots.
    project_of = {item.id: (item.idea_id, str(item.idea_id)) for item in round_area.items}
    vote_type = VOTE_TYPES[round_.ballot_type.value]
    cumulative = vote_type == "cumulative"
    ballots = []
    # Rows come ordered by the random ballot id, so numbering says nothing about who voted when.
    for number, (_, group) in enumerate(groupby(rows, key=itemgetter(0)), start=1):
        chosen = sorted((project_of[item_id], points) for _, item_id, points in group)
        ballots.append(
            tally.Ballot(
                voter_id=str(number),
                choices=[project[1] for project, _ in chosen],
                points=[points for _, points in chosen] if cumulative else None,
            )
        )
    projects = {
        str(item.idea_id): tally.Project(
            id=str(item.idea_id),
            cost=_euros(item.cost_cents),
            name=item.idea.title,
            extra=_spot(item.idea),
        )
        for item in round_area.items
    }
    meta = {
        "description": f"{round_.name}: {round_area.area.name}",
        "country": "Netherlands",
        "unit": round_area.area.name,
        "subunit": round_area.area.code,
        "instance": round_.name,
        "num_projects": str(len(projects)),
        "num_votes": str(len(ballots)),
        "budget": str(_euros(round_area.budget_cents)),
        "vote_type": vote_type,
        "rule": ROUND_RULES[round_.rule.value]["meta"],
        "date_begin": round_.voting_opens_at.astimezone(NL_ZONE).strftime("%d.%m.%Y"),
        "date_end": round_.voting_closes_at.astimezone(NL_ZONE).strftime("%d.%m.%Y"),
        "currency": "EUR",
        "language": "nl",
        "edition": str(round_.voting_opens_at.astimezone(NL_ZONE).year),
    }
    if vote_type == "approval":
        meta["min_length"] = str(max(1, round_.min_choices or 1))
        if round_.ballot_type.value == "approval" and round_.max_choices:
            meta["max_length"] = str(round_.max_choices)
        if round_.ballot_type.value == "knapsack":
            meta["max_sum_cost"] = str(_euros(round_area.budget_cents))
    else:
        if round_.cumulative_points:
            meta["max_sum_points"] = str(round_.cumulative_points)
        if round_.cumulative_max_per_idea:
            meta["max_points"] = str(round_.cumulative_max_per_idea)
    if round_.threshold_percent:
        meta["min_project_score_threshold"] = str(
            threshold_votes(round_.threshold_percent, len(ballots))
        )
    if round_.tie_break:
        meta["comment"] = f"tie-break: {round_.tie_break}"
    if round_.threshold_percent:
        meta["rule"] = ROUND_RULES[round_.rule.value]["meta_with_threshold"]
    return tally.Election(
        budget=_euros(round_area.budget_cents),
        vote_type=vote_type,
        projects=projects,
        ballots=ballots,
        meta=meta,
    )


def run_tally(round_area: RoundArea, election: tally.Election) -> tally.Outcome:
    """Apply the round's rule, tie-breaking and threshold to the election."""
    round_ = round_area.round
    settings = ROUND_RULES[round_.rule.value]
    extra = {}
    if settings["threshold"] and round_.threshold_percent:
        extra["threshold"] = f"{round_.threshold_percent}%"
    return tally.tally(election, tie_break=round_.tie_break, **settings["tally"], **extra)


def ballot_rows(round_area: RoundArea):
    """Return (ballot id, item id, points) for every choice on the area's ballots."""
    return db.session.execute(
        select(BallotChoice.ballot_id, BallotChoice.ballot_item_id, BallotChoice.points)
        .join(Ballot, Ballot.id == BallotChoice.ballot_id)
        .where(Ballot.round_area_id == round_area.id)
        .order_by(BallotChoice.ballot_id)
    ).all()


def unseal_area(round_area: RoundArea) -> int:
    """Open the area's envelopes, write the plain ballots shuffled, destroy the envelopes.

    Part of the closing transaction: either every envelope becomes a ballot and is gone, or
    nothing changes. Each ballot gets a new random id and the rows are written in the order
    of those ids, so neither the ids nor the storage order (rowid, ctid) follow the voting
    order, and no ballot row shares a transaction with a voter's mark. Returns the count.
    """
    round_ = round_area.round
    envelopes = db.session.scalars(
        select(SealedBallot.envelope).where(SealedBallot.round_area_id == round_area.id)
    ).all()
    if not envelopes:
        round_area.receipt_numbers = ""
        return 0
    try:
        open_envelope = sealing.opener(round_.id, round_.ballot_public_key)
        opened = [open_envelope(envelope) for envelope in envelopes]
    except sealing.KeyMismatch:
        raise VoteRefused(
            [
                _l(
                    "The ballots cannot be opened: the server's ballot key (BALLOT_KEY) is not "
                    "the key they were sealed with. Nothing has been changed."
                )
            ]
        ) from None
    round_area.receipt_numbers = "\n".join(sorted(b.receipt for b in opened if b.receipt))
    ballots = sorted(((secrets.token_hex(16), b) for b in opened), key=itemgetter(0))
    db.session.execute(
        Ballot.__table__.insert(),
        [
            {
                "id": ballot_id,
                "round_area_id": round_area.id,
                "cast_on": b.cast_on,
                "is_paper": b.is_paper,
            }
            for ballot_id, b in ballots
        ],
    )
    db.session.execute(
        BallotChoice.__table__.insert(),
        [
            {"ballot_id": ballot_id, "ballot_item_id": item_id, "points": points}
            for ballot_id, b in ballots
            for item_id, points in sorted(b.choices.items())
        ],
    )
    db.session.execute(
        delete(SealedBallot)
        .where(SealedBallot.round_area_id == round_area.id)
        .execution_options(synchronize_session=False)
    )
    return len(ballots)


def tally_area(round_area: RoundArea) -> None:
    """Count one area: store the outcome with its explanations, the .pb file and its SHA-256."""
    election = build_election(round_area, ballot_rows(round_area))
    outcome = run_tally(round_area, election)
    text = tally.write_pb(election)
    result = outcome.to_json()
    result["ballots"] = len(election.ballots)
    result["scores"] = {pid: e["score"] for pid, e in result["explanation"].items()}
    round_area.result = result
    round_area.ballot_count = len(election.ballots)
    round_area.pb_file = text
    round_area.pb_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()


def close_round(round_: BudgetRound, actor: User, reason: str | None = None) -> None:
    """Close the round once and atomically, count every area, publish, and fund the winners.

    Closing before the end of voting needs a reason. A second close (also at the same
    moment by another administrator) is refused: the conditional update lets only one through.
    """
    now = utcnow()
    current = phase(round_, now)
    if current in (Phase.CLOSED, Phase.PUBLISHED):
        raise VoteRefused([_l("This round has already been closed.")])
    early = now < round_.voting_closes_at
    reason = (reason or "").strip()
    if early and not reason:
        raise VoteRefused([_l("Voting has not ended yet. Give a reason to close the round early.")])
    won = db.session.execute(
        update(BudgetRound)
        .where(BudgetRound.id == round_.id, BudgetRound.closed_at.is_(None))
        .values(closed_at=now, closed_by_id=actor.id, close_reason=reason or None, published_at=now)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:
        raise VoteRefused([_l("This round has already been closed.")])
    db.session.expire(round_)
    areas = db.session.scalars(
        select(RoundArea)
        .where(RoundArea.round_id == round_.id)
        .options(
            selectinload(RoundArea.area),
            selectinload(RoundArea.round),
            selectinload(RoundArea.items).selectinload(BallotItem.idea).selectinload(Idea.author),
        )
    ).all()
    for round_area in areas:
        unseal_area(round_area)
    for round_area in areas:
        tally_area(round_area)
    db.session.execute(delete(NetworkSignal).where(NetworkSignal.round_id == round_.id))
    db.session.execute(delete(BallotStart).where(BallotStart.round_id == round_.id))
    audit.record(
        actor,
        "round.closed",
        round_,
        summary=round_.name,
        before={"phase": current.value},
        after={
            "phase": "published",
            "reason": reason or None,
            "areas": {
                ra.area.code: {"ballots": ra.ballot_count, "sha256": ra.pb_sha256} for ra in areas
            },
        },
    )
    db.session.flush()
    _apply_outcomes(areas, actor)
    notify(FollowEvent.RESULTS, round_, actor)


def _apply_outcomes(areas: list[RoundArea], actor: User) -> None:
    from buurtbegroting.accountability.services import fund_idea
    from buurtbegroting.ideas.services import change_status

    for round_area in areas:
        selected = set(round_area.result["selected"])
        for item in round_area.items:
            idea = item.idea
            if idea.status != IdeaStatus.ACCEPTED:
                continue
            if str(item.idea_id) in selected:
                fund_idea(
                    idea,
                    source=FundingSource.ROUND,
                    amount_cents=item.cost_cents,
                    actor=actor,
                    round_area=round_area,
                )
            else:
                with force_locale(idea.author.locale or "nl"):
                    message = str(
                        _l("Your idea was not chosen in the vote. Thank you for taking part.")
                    )
                change_status(idea, IdeaStatus.NOT_FUNDED, actor, message)
