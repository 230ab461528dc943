"""Helpers for round tests: a round in its voting phase, with ideas on the ballot and codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from buurtbegroting.domain.codes import generate_code, normalize_code
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    BallotItem,
    BallotType,
    BudgetRound,
    Destination,
    IdeaStatus,
    OutcomeRule,
    RoundArea,
    VotingCode,
)
from buurtbegroting.rounds.services import voting_code_hash
from tests.factories import make_district, make_idea, make_neighbourhood, make_user


def make_round(areas=None, *, phase="voting", **overrides) -> BudgetRound:
    """Make a round; ``phase`` sets the dates around now ("review", "voting", "counting")."""
    now = datetime.now(UTC)
    offsets = {
        "review": (-30, -10, 5, 20, 30),
        "voting": (-30, -20, -1, 10, 20),
        "counting": (-30, -20, -10, -1, 5),
    }[phase]
    dates = [now + timedelta(days=d) for d in offsets]
    fields = {
        "name": "Buurtbudget 2027",
        "description": "Stem mee!",
        "submission_opens_at": dates[0],
        "review_opens_at": dates[1],
        "voting_opens_at": dates[2],
        "voting_closes_at": dates[3],
        "results_at": dates[4],
        "ballot_type": BallotType.APPROVAL,
        "min_choices": 1,
        "max_choices": 3,
        "rule": OutcomeRule.GREEDY,
        "tie_break": "cheaper",
        "rule_explanation": "De ideeën met de meeste stemmen die passen, winnen.",
    }
    fields.update(overrides)
    round_ = BudgetRound(**fields)
    db.session.add(round_)
    for area, budget in areas or [(make_neighbourhood(make_district(), postcodes=()), 1_000_000)]:
        round_.areas.append(RoundArea(area=area, budget_cents=budget))
    db.session.flush()
    return round_


def put_on_ballot(round_area: RoundArea, costs) -> list[BallotItem]:
    """Make accepted ideas with these costs and put them on the area's ballot."""
    items = []
    for i, cents in enumerate(costs):
        idea = make_idea(
            round_area.area,
            title=f"Plan {chr(65 + i)}",
            costs=(("Alles", cents),),
            status=IdeaStatus.ACCEPTED,
            destination=Destination.BUDGET_ROUND,
        )
        item = BallotItem(round_area=round_area, idea=idea, cost_cents=cents, position=i)
        db.session.add(item)
        items.append(item)
    db.session.flush()
    return items


def issue_codes(round_area: RoundArea, n: int) -> list[str]:
    """Issue n voting codes for the area; return them in plain text."""
    codes = [generate_code() for _ in range(n)]
    db.session.add_all(
        VotingCode(round_area=round_area, code_hash=voting_code_hash(normalize_code(c)))
        for c in codes
    )
    db.session.flush()
    return codes


def make_voter(area, **overrides):
    """Make a resident of the area, old enough to vote."""
    from datetime import date

    overrides.setdefault("birth_date", date(1980, 5, 1))
    return make_user(area=area, **overrides)
