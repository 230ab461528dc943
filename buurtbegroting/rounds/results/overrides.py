"""A recorded override of the winners: a computed winner is not funded, the next moves up.

The computed result stays stored and published. The tally engine recomputes the area
without every overridden idea; the ideas it selects that were not winners before are
funded in their place, in the order the round's rule selects them, as long as they fit in
the budget the remaining winners leave.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from buurtbegroting import audit, tally
from buurtbegroting.extensions import db
from buurtbegroting.models import IdeaStatus, ResultOverride, RoundArea, User
from buurtbegroting.rounds.closing import ballot_rows, build_election, run_tally
from buurtbegroting.rounds.services import VoteRefused

REASON_MAX = 1000


def overrides_of(round_area_ids: list[int]) -> dict[int, list[ResultOverride]]:
    """Return the overrides per round area, oldest first (one query)."""
    found: dict[int, list[ResultOverride]] = {ra_id: [] for ra_id in round_area_ids}
    if round_area_ids:
        for row in db.session.scalars(
            select(ResultOverride)
            .where(ResultOverride.round_area_id.in_(round_area_ids))
            .order_by(ResultOverride.id)
        ):
            found[row.round_area_id].append(row)
    return found


def effective_winners(round_area: RoundArea, overrides: list[ResultOverride]) -> list[str]:
    """Return the idea ids (text) funded after the overrides, in order of selection."""
    removed = {str(o.idea_id) for o in overrides}
    kept = [pid for pid in round_area.result.get("selected", []) if pid not in removed]
    return kept + [str(i) for o in overrides for i in o.replacement_idea_ids]


def recount_without(round_area: RoundArea, removed: set[str]) -> tally.Outcome:
    """Recompute the area's outcome by its round's rule with the ``removed`` ideas left out."""
    election = build_election(round_area, ballot_rows(round_area))
    election.projects = {pid: p for pid, p in election.projects.items() if pid not in removed}
    for ballot in election.ballots:
        keep = [i for i, pid in enumerate(ballot.choices) if pid not in removed]
        ballot.choices = [ballot.choices[i] for i in keep]
        if ballot.points is not None:
            ballot.points = [ballot.points[i] for i in keep]
    return run_tally(round_area, election)


def override_winner(round_area: RoundArea, idea_id: int, reason: str, actor: User):
    """Record that a computed winner is not funded and fund the ideas that take its place.

    :raises VoteRefused: when the round is not closed, the idea was not a computed winner,
        it was already overridden, money was already paid out, or the reason is missing.
    """
    from buurtbegroting.accountability.services import fund_idea, funding_of
    from buurtbegroting.ideas.services import change_status
    from buurtbegroting.models import FundingSource

    reason = (reason or "").strip()
    if not reason:
        raise VoteRefused([_l("Give the reason why this idea is not carried out.")])
    if round_area.result is None or round_area.round.closed_at is None:
        raise VoteRefused([_l("The result can be changed only after the round is closed.")])
    overrides = overrides_of([round_area.id])[round_area.id]
    if idea_id in {o.idea_id for o in overrides}:
        raise VoteRefused([_l("This idea is already marked as not funded.")])
    winners = effective_winners(round_area, overrides)
    if str(idea_id) not in winners:
        raise VoteRefused([_l("Only an idea that won can be marked as not funded.")])
    item = next(i for i in round_area.items if i.idea_id == idea_id)
    funding = funding_of(item.idea)
    started = funding is not None and (
        funding.payout_cents or funding.payout_on or funding.expenses or funding.updates
    )
    if item.idea.status not in (IdeaStatus.FUNDED, IdeaStatus.ACCEPTED) or started:
        raise VoteRefused(
            [_l("Work or payments for this idea have started: it can no longer be changed.")]
        )
    removed = {str(o.idea_id) for o in overrides} | {str(idea_id)}
    outcome = recount_without(round_area, removed)
    cost = {str(i.idea_id): i.cost_cents for i in round_area.items}
    kept = [pid for pid in winners if pid != str(idea_id)]
    left = round_area.budget_cents - sum(cost[pid] for pid in kept)
    replacements = []
    for pid in outcome.selected:
        if pid not in kept and cost[pid] <= left:
            replacements.append(int(pid))
            left -= cost[pid]
    if funding is not None:
        db.session.delete(funding)
    if item.idea.status == IdeaStatus.FUNDED:
        # The timeline and the e-mail tell the author why.
        with force_locale(item.idea.author.locale or "nl"):
            message = str(
                _l("Your idea will not be carried out after all: %(reason)s", reason=reason)
            )
        change_status(item.idea, IdeaStatus.NOT_FUNDED, actor, message)
    by_id = {i.idea_id: i for i in round_area.items}
    for new_id in replacements:
        new_item = by_id[new_id]
        if new_item.idea.status == IdeaStatus.NOT_FUNDED:
            fund_idea(
                new_item.idea,
                source=FundingSource.ROUND,
                amount_cents=new_item.cost_cents,
                actor=actor,
                round_area=round_area,
            )
    row = ResultOverride(
        round_area_id=round_area.id,
        idea_id=idea_id,
        reason=reason[:REASON_MAX],
        created_by_id=actor.id,
        replacement_idea_ids=replacements,
        result=outcome.to_json(),
    )
    db.session.add(row)
    audit.record(
        actor,
        "round.winner_overridden",
        round_area.round,
        summary=f"{round_area.area.name}: {item.idea.title}",
        before={"winners": winners},
        after={
            "not_funded": idea_id,
            "reason": reason,
            "replaced_by": replacements,
            "winners": kept + [str(i) for i in replacements],
        },
    )
    db.session.flush()
    return row
