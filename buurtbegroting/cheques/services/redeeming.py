"""Checking and redeeming cheque codes (atomic), with a rate limit on unknown codes."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.cheques import rules
from buurtbegroting.cheques.services.common import cheque_hash
from buurtbegroting.domain.codes import format_code
from buurtbegroting.extensions import db
from buurtbegroting.follows.notify import notify
from buurtbegroting.keys import code_hash_key
from buurtbegroting.models import (
    Area,
    Cheque,
    ChequeCampaign,
    CodeStatus,
    Destination,
    FollowEvent,
    Idea,
    IdeaStatus,
    utcnow,
)
from buurtbegroting.throttle import CHEQUE_CODES


def failures_allowed(client_key: str) -> bool:
    """Tell whether the client may try codes now (it is not slowed down after unknown codes)."""
    return CHEQUE_CODES.wait(client_key) == 0


def record_failure(client_key: str) -> bool:
    """Count an unknown code for the client; return False once it must wait for the next."""
    return CHEQUE_CODES.fail(client_key) == 0


@dataclass
class CodeResult:
    """What happened to one typed code."""

    position: int
    typed: str
    #: "ok", "given", or a reason: see rules.cheque_problem and the format problems.
    status: str
    code: str | None = None
    cheque_id: int | None = None
    value_cents: int = 0
    #: A date for "expired" and "not_yet", or area names for "out_of_scope".
    detail: object = None

    @property
    def shown(self) -> str:
        """Return the code as printed on the cheque, or as typed when it is no code."""
        return format_code(self.code) if self.code else self.typed

    @property
    def is_ok(self) -> bool:
        """Tell whether the code can be (or was) given."""
        return self.status in ("ok", "given")


@dataclass
class RedeemOutcome:
    """The result of giving a list of codes to an initiative."""

    results: list[CodeResult]
    idea: Idea | None
    #: Why the initiative accepts no cheques (then nothing was given).
    idea_problem: str | None = None
    funded: bool = False
    blocked: bool = False

    @property
    def given(self) -> list[CodeResult]:
        """Return the codes given in this submission."""
        return [r for r in self.results if r.status == "given"]

    @property
    def given_cents(self) -> int:
        """Return the value given in this submission."""
        return sum(r.value_cents for r in self.given)


def _area_chain(area: Area) -> set[int]:
    return {area.id} | {a.id for a in area.ancestors()}


def check_codes(
    typed: list[str],
    *,
    client_key: str | None,
    today: date,
    idea: Idea | None = None,
    max_codes: int = rules.MAX_CODES,
) -> tuple[list[CodeResult], bool]:
    """Check typed codes without using them; return (results in typed order, blocked).

    Unknown codes count against the client's limit; once it is reached, the
    remaining codes are not checked at all (so a long list cannot be used to guess).
    """
    entries = rules.read_entries(typed)
    results: list[CodeResult] = []
    hashes: dict[int, str] = {}
    key = code_hash_key()
    for entry in entries:
        result = CodeResult(entry.position, entry.typed, entry.problem or "", code=entry.code)
        if entry.position >= max_codes:
            result.status = "too_many"
        elif entry.problem is None:
            hashes[entry.position] = cheque_hash(entry.code, key)
        results.append(result)
    found: dict[str, Cheque] = {}
    values = list(hashes.values())
    for start in range(0, len(values), 500):
        for cheque in db.session.scalars(
            select(Cheque)
            .where(Cheque.code_hash.in_(values[start : start + 500]))
            .options(selectinload(Cheque.campaign).selectinload(ChequeCampaign.areas))
        ):
            found[cheque.code_hash] = cheque
    idea_chain = _area_chain(idea.area) if idea is not None else None
    blocked = client_key is not None and not failures_allowed(client_key)
    for result in results:
        if result.position not in hashes:
            continue
        if blocked:
            result.status = "not_checked"
            continue
        cheque = found.get(hashes[result.position])
        if cheque is None:
            result.status = "unknown"
            if client_key is not None and not record_failure(client_key):
                blocked = True
            continue
        campaign = cheque.campaign
        facts = rules.ChequeFacts(
            status=cheque.status.value,
            starts_on=campaign.activation_starts_on,
            ends_on=campaign.activation_ends_on,
            idea_id=cheque.idea_id,
            allowed_area_ids=None
            if campaign.whole_municipality or not campaign.areas
            else frozenset(a.id for a in campaign.areas),
        )
        result.cheque_id = cheque.id
        result.value_cents = campaign.value_cents
        problem = rules.cheque_problem(
            facts, today, idea_chain, idea.id if idea is not None else None
        )
        result.status = problem or "ok"
        if problem == "expired":
            result.detail = campaign.activation_ends_on
        elif problem == "not_yet":
            result.detail = campaign.activation_starts_on
        elif problem == "out_of_scope":
            result.detail = ", ".join(a.name for a in campaign.areas)
    # Blocked: some codes were not checked (the unknown code that starts a wait was checked).
    return results, any(r.status == "not_checked" for r in results)


def idea_facts(idea: Idea) -> rules.IdeaFacts:
    """Return the facts that decide whether the initiative accepts cheques."""
    return rules.IdeaFacts(
        status=idea.status.value,
        destination=idea.destination.value,
        target_cents=idea.target_cents,
        target_date=idea.target_date,
        collected_cents=idea.collected_cents,
    )


def redeem(
    typed: list[str], idea_id: int | None, *, client_key: str | None, today: date
) -> RedeemOutcome:
    """Give the valid codes to an initiative, all in the caller's one transaction.

    Cheques are marked used in id order and only then added to the initiative, so
    concurrent submissions always lock rows in the same order. A cheque is added only
    while the initiative is below its target: it never goes past the target by more
    than the last cheque. Cheques not needed are put back and reported.
    """
    idea = db.session.get(Idea, idea_id) if idea_id else None
    results, blocked = check_codes(typed, client_key=client_key, today=today, idea=idea)
    outcome = RedeemOutcome(results=results, idea=idea, blocked=blocked)
    if idea is None:
        outcome.idea_problem = "no_idea"
        return outcome
    outcome.idea_problem = rules.idea_problem(idea_facts(idea), today)
    if outcome.idea_problem:
        return outcome
    valid = sorted((r for r in results if r.status == "ok"), key=lambda r: r.cheque_id)
    now = utcnow()
    marked = []
    for result in valid:
        done = db.session.execute(
            update(Cheque)
            .where(Cheque.id == result.cheque_id, Cheque.status == CodeStatus.ISSUED)
            .values(status=CodeStatus.USED, idea_id=idea.id, redeemed_at=now),
            execution_options={"synchronize_session": False},
        )
        if done.rowcount == 1:
            marked.append(result)
        else:
            result.status = "used"  # used by someone else a moment ago
    full = False
    for result in marked:
        if not full:
            added = db.session.execute(
                update(Idea)
                .where(
                    Idea.id == idea.id,
                    Idea.status == IdeaStatus.ACCEPTED,
                    Idea.destination == Destination.CHEQUES,
                    Idea.collected_cents < Idea.target_cents,
                    Idea.target_date >= today,
                )
                .values(collected_cents=Idea.collected_cents + result.value_cents),
                execution_options={"synchronize_session": False},
            )
            full = added.rowcount != 1
        if full:
            db.session.execute(
                update(Cheque)
                .where(Cheque.id == result.cheque_id)
                .values(status=CodeStatus.ISSUED, idea_id=None, redeemed_at=None),
                execution_options={"synchronize_session": False},
            )
            result.status = "target_reached"
        else:
            result.status = "given"
    db.session.refresh(idea)
    if outcome.given and idea.collected_cents >= (idea.target_cents or 0):
        fund(idea)
        outcome.funded = True
    db.session.flush()
    return outcome


def redeem_and_commit(
    typed: list[str], idea_id: int | None, *, client_key: str | None, today: date, attempts: int = 5
) -> RedeemOutcome:
    """Redeem and commit (nothing is committed when the initiative accepts no cheques).

    On SQLite a busy database ("database is locked") is tried again a few times; the
    transaction is rolled back in between, so a retry starts from scratch.
    """
    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            outcome = redeem(typed, idea_id, client_key=client_key, today=today)
            if outcome.idea_problem or not outcome.given:
                db.session.rollback()
            else:
                db.session.commit()
            return outcome
        except OperationalError:
            db.session.rollback()
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
    raise AssertionError("unreachable")


def record_outcome(idea: Idea, action: str, **after: int) -> None:
    """Record in the audit log how an initiative's collecting ended, next to its target."""
    audit.record(
        None, action, idea, summary=idea.title, after={**after, "target_cents": idea.target_cents}
    )


def fund(idea: Idea) -> None:
    """Record that the initiative reached its target: funded, and on to accountability."""
    from buurtbegroting.accountability.services import fund_idea
    from buurtbegroting.models import FundingSource

    fund_idea(idea, source=FundingSource.CHEQUES, amount_cents=idea.collected_cents, actor=None)
    record_outcome(idea, "cheques.target_reached", collected_cents=idea.collected_cents)
    notify(FollowEvent.CHEQUES, idea, reason="reached")
