"""The round list and page, and what the voting pages share."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    render_template,
    request,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from buurtbegroting.domain.rounds import Phase
from buurtbegroting.extensions import db
from buurtbegroting.models import BallotItem, BudgetRound, RoundArea
from buurtbegroting.rounds import bp, services
from buurtbegroting.rounds.labels import PHASE_LABELS
from buurtbegroting.templating import add_label_globals
from buurtbegroting.throttle import client_key

add_label_globals(bp, phase_label=(PHASE_LABELS, Phase))


@bp.app_template_global()
def has_endpoint(name: str) -> bool:
    """Tell whether the app has a route endpoint (for optional links)."""
    return name in current_app.view_functions


def _with_areas(query):
    return query.options(selectinload(BudgetRound.areas).selectinload(RoundArea.area))


def _round(round_id: int) -> BudgetRound:
    round_ = db.session.scalar(_with_areas(select(BudgetRound).where(BudgetRound.id == round_id)))
    if round_ is None:
        abort(404)
    return round_


def _ballots(round_: BudgetRound) -> list[RoundArea]:
    """Return the round's areas with their ballot items and ideas loaded."""
    return list(
        db.session.scalars(
            select(RoundArea)
            .where(RoundArea.round_id == round_.id)
            .options(
                selectinload(RoundArea.area),
                selectinload(RoundArea.items).selectinload(BallotItem.idea),
            )
        )
    )


def _rounds() -> list[BudgetRound]:
    """Return every round with its areas, the latest voting first."""
    query = select(BudgetRound).order_by(BudgetRound.voting_opens_at.desc())
    return list(db.session.scalars(_with_areas(query)))


def _code_limit_key() -> tuple[str, str]:
    # Per client and round; a QR link does not name its round, so links share one count.
    return client_key(), str((request.view_args or {}).get("round_id", "link"))


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/rondes")
def index():
    """List the budget rounds."""
    return render_template("rounds/index.html", rounds=_rounds(), phase=services.phase)


@bp.route("/rondes/<int:round_id>")
def show(round_id):
    """Show a round: how it works, its phases, areas, budgets and ballot."""
    round_ = _round(round_id)
    current = services.phase(round_)
    areas = _ballots(round_)
    live = {}
    if round_.show_live_results and current == Phase.VOTING:
        live = {ra.id: services.live_scores(ra) for ra in areas}
    return render_template(
        "rounds/show.html", round_=round_, phase=current, areas=areas, live=live, Phase=Phase
    )
