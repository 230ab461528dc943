"""Cheque services: campaigns and codes, redeeming, organisers, outcomes and statistics.

Services flush and leave the commit to the caller (a view or a command), except where
a docstring says otherwise.

Redeeming is atomic on SQLite and PostgreSQL through conditional UPDATEs in one
transaction: a cheque only goes from "issued" to "used" once, and an initiative's
collected amount only grows while it is below the target. All valid codes of one
submission are applied in that one transaction (so a submission never half-applies);
codes refused for a reason are reported one by one and left untouched.
"""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse as parse_limit
from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from buurtbegroting import audit
from buurtbegroting.cheques import rules
from buurtbegroting.cheques.export import NewCheque
from buurtbegroting.domain import DomainError
from buurtbegroting.domain.codes import code_hash, format_code, generate_code
from buurtbegroting.extensions import db, limiter
from buurtbegroting.models import (
    Area,
    AreaLevel,
    CampaignAddressCount,
    Cheque,
    ChequeCampaign,
    CodeStatus,
    CoOrganiser,
    Destination,
    Idea,
    IdeaStatus,
    PotEntry,
    User,
    utcnow,
)

#: Statuses in which the owner may still change target, date and co-organisers.
SETUP_STATUSES = {
    IdeaStatus.DRAFT,
    IdeaStatus.SUBMITTED,
    IdeaStatus.IN_REVIEW,
    IdeaStatus.CHANGES_REQUESTED,
}
#: Statuses after a successful collection.
FUNDED_STATUSES = {
    IdeaStatus.FUNDED,
    IdeaStatus.IN_PROGRESS,
    IdeaStatus.COMPLETED,
    IdeaStatus.ACCOUNTED,
}
CHEQUE_PURPOSE = "cheque"
AUTHOR_MARK = "author-"
INSERT_CHUNK = 5_000


class ChequeRefused(DomainError):
    """A rule refused the action; ``messages`` are translated, ready to show."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)


def hash_key() -> bytes:
    """Return the key of the keyed code hashes (CODE_HASH_KEY, else SECRET_KEY)."""
    cfg = current_app.config
    return (cfg.get("CODE_HASH_KEY") or cfg["SECRET_KEY"]).encode()


def cheque_hash(code: str, key: bytes | None = None) -> str:
    """Return the stored hash of a normalised cheque code."""
    return code_hash(code, key or hash_key(), CHEQUE_PURPOSE)


def local_today() -> date:
    """Return today's date in the municipality's time zone."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    return datetime.now(zone).date()


def max_target_cents() -> int:
    """Return the highest target an initiative may set."""
    return int(current_app.config.get("CHEQUE_MAX_TARGET_CENTS", 500_000))


# --- campaigns -------------------------------------------------------------------------


def campaigns() -> list[ChequeCampaign]:
    """Return every campaign, newest first."""
    return list(db.session.scalars(select(ChequeCampaign).order_by(ChequeCampaign.id.desc())))


def scope_choices() -> list[Area]:
    """Return the districts and neighbourhoods a campaign can be limited to, in code order."""
    return list(
        db.session.scalars(
            select(Area).where(Area.level != AreaLevel.MUNICIPALITY).order_by(Area.code)
        )
    )


def _in_scope(area: Area, scope: list[Area]) -> bool:
    chain = {area.id} | {a.id for a in area.ancestors()}
    return any(s.id in chain for s in scope)


def create_campaign(
    actor: User,
    *,
    name: str,
    value_cents: int,
    starts_on: date,
    ends_on: date,
    area_ids: list[int],
    cheque_count: int | None,
    address_counts: dict[str, int] | None,
) -> ChequeCampaign:
    """Create a campaign: its scope, and a number of cheques or one per address per neighbourhood."""
    problems = []
    if ends_on < starts_on:
        problems.append(_l("The last day comes before the first day."))
    scope = [db.session.get(Area, i) for i in area_ids]
    if any(a is None for a in scope):
        problems.append(_l("Choose areas from the list."))
        scope = []
    counts: list[tuple[Area, int]] = []
    if address_counts:
        areas = {
            a.code: a
            for a in db.session.scalars(select(Area).where(Area.code.in_(list(address_counts))))
        }
        unknown = sorted(c for c in address_counts if c not in areas)
        if unknown:
            problems.append(
                _l("These neighbourhoods are unknown: %(codes)s.", codes=", ".join(unknown[:10]))
            )
        outside = sorted(c for c, a in areas.items() if scope and not _in_scope(a, scope))
        if outside:
            problems.append(
                _l(
                    "These neighbourhoods are outside the chosen areas: %(codes)s.",
                    codes=", ".join(outside[:10]),
                )
            )
        counts = [(areas[c], n) for c, n in sorted(address_counts.items()) if c in areas]
        cheque_count = sum(n for _, n in counts)
    if not cheque_count or cheque_count < 1:
        problems.append(_l("Give the number of cheques, or upload the number of addresses."))
    if problems:
        raise ChequeRefused(problems)
    campaign = ChequeCampaign(
        name=name,
        value_cents=value_cents,
        activation_starts_on=starts_on,
        activation_ends_on=ends_on,
        whole_municipality=not scope,
        cheque_count=cheque_count,
        created_by_id=actor.id if actor else None,
    )
    campaign.areas = scope
    db.session.add(campaign)
    db.session.flush()
    for area, n in counts:
        db.session.add(CampaignAddressCount(campaign_id=campaign.id, area_id=area.id, addresses=n))
    db.session.flush()
    audit.record(
        actor,
        "cheques.campaign_created",
        campaign,
        summary=campaign.name,
        after={
            "value_cents": value_cents,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "areas": [a.code for a in scope],
            "cheque_count": cheque_count,
            "per_address": bool(counts),
        },
    )
    return campaign


def status_counts(campaign: ChequeCampaign) -> dict[str, int]:
    """Return how many cheques of the campaign are issued, used, void and expired."""
    rows = db.session.execute(
        select(Cheque.status, func.count(Cheque.id))
        .where(Cheque.campaign_id == campaign.id)
        .group_by(Cheque.status)
    ).all()
    counts = {s.value: 0 for s in CodeStatus}
    counts.update({status.value: n for status, n in rows})
    return counts


def address_counts(campaign: ChequeCampaign) -> list[CampaignAddressCount]:
    """Return the campaign's numbers of addresses per neighbourhood."""
    return list(
        db.session.scalars(
            select(CampaignAddressCount)
            .where(CampaignAddressCount.campaign_id == campaign.id)
            .options(selectinload(CampaignAddressCount.area))
        )
    )


def open_slots(campaign: ChequeCampaign) -> list[tuple[Area | None, int]]:
    """Return (neighbourhood or None, number) of cheques still to generate.

    Every cheque that is not void fills a slot, so after voiding lost cheques the same
    number can be issued again.
    """
    taken = dict(
        db.session.execute(
            select(Cheque.area_id, func.count(Cheque.id))
            .where(Cheque.campaign_id == campaign.id, Cheque.status != CodeStatus.VOID)
            .group_by(Cheque.area_id)
        ).all()
    )
    counts = address_counts(campaign)
    if counts:
        slots = [(c.area, c.addresses - taken.get(c.area_id, 0)) for c in counts]
    else:
        slots = [(None, campaign.cheque_count - sum(taken.values()))]
    return [(area, n) for area, n in slots if n > 0]


def generate_cheques(
    campaign: ChequeCampaign,
    actor: User | None,
    url_for_code: Callable[[str], str],
    progress: Callable[[int], None] | None = None,
) -> list[NewCheque]:
    """Generate the campaign's open cheques: store keyed hashes, return the plain codes once.

    Flushes only: the caller writes the export and commits; if writing fails it rolls
    back, so no code exists without its file. Codes that happen to repeat (60 random
    bits: practically never) are drawn again; the unique hash column guards the rest.
    """
    slots = open_slots(campaign)
    if not slots:
        raise ChequeRefused(
            [
                _l(
                    "Every cheque of this campaign has been made. Void lost cheques to make them again."
                )
            ]
        )
    key = hash_key()
    start = (
        db.session.scalar(select(func.count(Cheque.id)).where(Cheque.campaign_id == campaign.id))
        or 0
    )
    made: list[NewCheque] = []
    rows: list[dict] = []
    seen: set[str] = set()

    def flush_rows():
        if rows:
            db.session.execute(insert(Cheque), rows)
            if progress:
                progress(len(rows))
            rows.clear()

    for area, n in slots:
        for _ in range(n):
            code = generate_code()
            hashed = code_hash(code, key, CHEQUE_PURPOSE)
            while hashed in seen:
                code = generate_code()
                hashed = code_hash(code, key, CHEQUE_PURPOSE)
            seen.add(hashed)
            rows.append(
                {
                    "campaign_id": campaign.id,
                    "area_id": area.id if area else None,
                    "code_hash": hashed,
                    "status": CodeStatus.ISSUED,
                }
            )
            made.append(
                NewCheque(
                    number=start + len(made) + 1,
                    code=code,
                    area_code=area.code if area else "",
                    area_name=area.name if area else "",
                    url=url_for_code(format_code(code)),
                )
            )
            if len(rows) >= INSERT_CHUNK:
                flush_rows()
    flush_rows()
    audit.record(
        actor,
        "cheques.codes_generated",
        campaign,
        summary=campaign.name,
        after={"generated": len(made)},
    )
    return made


def void_unused(campaign: ChequeCampaign, actor: User, reason: str) -> int:
    """Make every unused cheque of the campaign void (lost files); return how many."""
    result = db.session.execute(
        update(Cheque)
        .where(Cheque.campaign_id == campaign.id, Cheque.status == CodeStatus.ISSUED)
        .values(status=CodeStatus.VOID),
        execution_options={"synchronize_session": False},
    )
    audit.record(
        actor,
        "cheques.voided",
        campaign,
        summary=campaign.name,
        after={"voided": result.rowcount, "reason": reason},
    )
    return result.rowcount


# --- rate limit on unknown codes -----------------------------------------------------------


def _fail_limit():
    return parse_limit(current_app.config.get("CHEQUE_FAIL_LIMIT", "30 per 10 minutes"))


def _limits_on() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def failures_allowed(client_key: str) -> bool:
    """Tell whether the client may still try codes (not too many unknown codes lately)."""
    if not _limits_on():
        return True
    return limiter.limiter.test(_fail_limit(), "cheque-fail", client_key)


def record_failure(client_key: str) -> bool:
    """Count an unknown code for the client; return False once the limit is exceeded."""
    if not _limits_on():
        return True
    return limiter.limiter.hit(_fail_limit(), "cheque-fail", client_key)


# --- checking and redeeming ------------------------------------------------------------------


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
    key = hash_key()
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
            if client_key is not None and not record_failure(client_key):
                blocked = True
                result.status = "not_checked"
            else:
                result.status = "unknown"
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
    return results, blocked


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


def fund(idea: Idea) -> None:
    """Record that the initiative reached its target: funded, and on to accountability."""
    from buurtbegroting.accountability.services import fund_idea
    from buurtbegroting.models import FundingSource

    fund_idea(idea, source=FundingSource.CHEQUES, amount_cents=idea.collected_cents, actor=None)
    audit.record(
        None,
        "cheques.target_reached",
        idea,
        summary=idea.title,
        after={"collected_cents": idea.collected_cents, "target_cents": idea.target_cents},
    )


# --- choosing an initiative ------------------------------------------------------------------


def collecting_ideas(
    *, q: str | None = None, area_id: int | None = None, own_area_ids: list[int] = ()
) -> list[Idea]:
    """Return the initiatives that accept cheques today; those in the own area first."""
    today = local_today()
    query = (
        select(Idea)
        .where(
            Idea.status == IdeaStatus.ACCEPTED,
            Idea.destination == Destination.CHEQUES,
            Idea.target_cents.is_not(None),
            Idea.collected_cents < Idea.target_cents,
            Idea.target_date >= today,
        )
        .options(selectinload(Idea.area).selectinload(Area.parent))
    )
    if q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        query = query.where(
            or_(
                func.lower(Idea.title).like(like, escape="\\"),
                func.lower(Idea.summary).like(like, escape="\\"),
            )
        )
    if area_id:
        parent = select(Area.id).where(Area.parent_id == area_id)
        query = query.where(
            Idea.area_id.in_(
                select(Area.id).where(
                    or_(Area.id == area_id, Area.id.in_(parent), Area.parent_id.in_(parent))
                )
            )
        )
    ideas = list(db.session.scalars(query))
    own = set(own_area_ids)
    own_parents = (
        {
            a.parent_id
            for a in db.session.scalars(select(Area).where(Area.id.in_(own)))
            if a.parent_id
        }
        if own
        else set()
    )

    def rank(idea: Idea):
        if idea.area_id in own:
            closeness = 0
        elif idea.area_id in own_parents or idea.area.parent_id in own_parents:
            closeness = 1
        else:
            closeness = 2
        return (closeness, idea.title.lower(), idea.id)

    return sorted(ideas, key=rank)


def cheque_count(idea: Idea) -> int:
    """Return how many cheques the initiative received."""
    return (
        db.session.scalar(
            select(func.count(Cheque.id)).where(
                Cheque.idea_id == idea.id, Cheque.status == CodeStatus.USED
            )
        )
        or 0
    )


@dataclass
class Progress:
    """What the progress bar of a cheque initiative shows."""

    state: str
    collected_cents: int
    target_cents: int | None
    cheques: int
    days_left: int | None
    target_date: date | None
    extended: bool
    can_organise: bool = False
    pot_cents: int = 0

    @property
    def percent(self) -> int:
        """Return the share of the target collected, 0-100."""
        if not self.target_cents:
            return 0
        return min(100, round(100 * self.collected_cents / self.target_cents))


def progress(idea: Idea, user=None) -> Progress | None:
    """Return the progress of a cheque initiative, or None when the idea does not collect cheques."""
    from buurtbegroting.permissions import can_organise_cheques

    if idea.destination != Destination.CHEQUES:
        return None
    today = local_today()
    if idea.status in FUNDED_STATUSES:
        state = "funded"
    elif idea.status == IdeaStatus.NOT_FUNDED:
        state = "not_reached"
    elif idea.status == IdeaStatus.ACCEPTED:
        state = rules.idea_problem(idea_facts(idea), today) or "collecting"
        state = {"date_passed": "closing", "not_collecting": "waiting"}.get(state, state)
    else:
        state = "setup"
    pot = 0
    if state == "not_reached":
        pot = (
            db.session.scalar(
                select(func.sum(PotEntry.amount_cents)).where(PotEntry.idea_id == idea.id)
            )
            or 0
        )
    return Progress(
        state=state,
        collected_cents=idea.collected_cents,
        target_cents=idea.target_cents,
        cheques=cheque_count(idea) if state != "setup" else 0,
        days_left=rules.days_left(idea.target_date, today),
        target_date=idea.target_date,
        extended=idea.target_date_extended,
        can_organise=can_organise_cheques(user, idea) if user is not None else False,
        pot_cents=pot,
    )


# --- organisers --------------------------------------------------------------------------------


def organisers(idea: Idea) -> list[CoOrganiser]:
    """Return the co-organisers invited for the initiative (the author's own row left out)."""
    return [
        c
        for c in db.session.scalars(
            select(CoOrganiser).where(CoOrganiser.idea_id == idea.id).order_by(CoOrganiser.id)
        )
        if not c.token_hash.startswith(AUTHOR_MARK)
    ]


def author_row(idea: Idea) -> CoOrganiser | None:
    """Return the row that holds the author's address hash, if the author gave an address.

    The author's row is marked by a token hash that no confirmation link can produce
    (a SHA-256 is 64 hex digits), so it can never be confirmed through a link.
    """
    return db.session.scalar(
        select(CoOrganiser).where(CoOrganiser.token_hash == f"{AUTHOR_MARK}{idea.id}")
    )


def organiser_addresses(idea: Idea) -> list[str | None]:
    """Return the address hashes of the author and of every confirmed co-organiser."""
    own = author_row(idea)
    addresses = [own.address_hash if own else None]
    addresses += [c.address_hash for c in organisers(idea) if c.confirmed_at is not None]
    return addresses


def _address_hash(postcode: str, house_number: str) -> str:
    from buurtbegroting.public.services import find_area_by_postcode

    try:
        hashed = rules.address_hash(postcode, house_number, hash_key())
        if find_area_by_postcode(postcode) is None:
            raise ChequeRefused([_l("This postcode is not in this municipality.")])
    except rules.InvalidAddress as error:
        if error.code == "postcode":
            raise ChequeRefused([_l("Enter a postcode like 5341 AB.")]) from None
        raise ChequeRefused([_l("Enter a house number like 12 or 12A.")]) from None
    return hashed


def save_setup(
    idea: Idea,
    actor: User,
    *,
    target_cents: int,
    target_date: date,
    postcode: str | None,
    house_number: str | None,
) -> None:
    """Save the target, the date and (when given) the author's address as a keyed hash."""
    problems = []
    if target_cents > max_target_cents():
        problems.append(
            _l("The target can be at most %(maximum)s.", maximum=_money(max_target_cents()))
        )
    if target_date <= local_today():
        problems.append(_l("Choose a date in the future."))
    if problems:
        raise ChequeRefused(problems)
    idea.target_cents = target_cents
    idea.target_date = target_date
    if idea.destination != Destination.CHEQUES:
        idea.destination = Destination.CHEQUES
    if postcode or house_number:
        hashed = _address_hash(postcode or "", house_number or "")
        row = author_row(idea)
        if row is None:
            row = CoOrganiser(
                idea_id=idea.id,
                name=actor.display_name[:80],
                email=f"{AUTHOR_MARK}{idea.id}@author.invalid",
                token_hash=f"{AUTHOR_MARK}{idea.id}",
            )
            db.session.add(row)
        row.address_hash = hashed
        row.confirmed_at = utcnow()
    db.session.flush()


def invite(idea: Idea, actor: User, *, name: str, email: str) -> CoOrganiser:
    """Invite a co-organiser: store a hash of a random token and e-mail the confirmation link."""
    from buurtbegroting.mail import send_mail
    from buurtbegroting.urls import external_url

    email = email.strip().lower()
    if email == (idea.author.email or "").lower():
        raise ChequeRefused([_l("This is your own e-mail address. Invite someone else.")])
    if any(c.email == email for c in organisers(idea)):
        raise ChequeRefused([_l("This person has already been invited.")])
    if len(organisers(idea)) >= 20:
        raise ChequeRefused([_l("You can invite at most 20 co-organisers.")])
    token = secrets.token_urlsafe(32)
    row = CoOrganiser(idea_id=idea.id, name=name, email=email, token_hash=rules.token_hash(token))
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise ChequeRefused([_l("This person has already been invited.")]) from None
    send_mail(
        email,
        _l(
            'Will you organise "%(title)s" with %(name)s?',
            title=idea.title,
            name=actor.display_name,
        ),
        "cheque_coorganiser",
        name=name,
        author=actor.display_name,
        idea=idea,
        url=external_url("cheques.confirm", token=token),
    )
    return row


def remove_organiser(idea: Idea, organiser_id: int) -> None:
    """Remove an invited co-organiser from the initiative."""
    row = db.session.get(CoOrganiser, organiser_id)
    if row is None or row.idea_id != idea.id or row.token_hash.startswith(AUTHOR_MARK):
        raise ChequeRefused([_l("This co-organiser is not on the list.")])
    db.session.delete(row)
    db.session.flush()


def organiser_for_token(token: str) -> CoOrganiser | None:
    """Return the co-organiser a confirmation link belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(CoOrganiser)
        .where(CoOrganiser.token_hash == rules.token_hash(token))
        .options(selectinload(CoOrganiser.idea))
    )


def confirm(row: CoOrganiser, *, postcode: str, house_number: str) -> bool:
    """Confirm a co-organiser with their address (kept as a keyed hash only).

    Returns False when the address is one already counted for this initiative.
    """
    if row.idea.status not in SETUP_STATUSES and row.confirmed_at is None:
        raise ChequeRefused(
            [_l("This initiative has been decided on; confirming is no longer needed.")]
        )
    hashed = _address_hash(postcode, house_number)
    known = set(organiser_addresses(row.idea)) - {row.address_hash}
    row.address_hash = hashed
    row.confirmed_at = row.confirmed_at or utcnow()
    db.session.flush()
    return hashed not in known


def acceptance_problems(idea: Idea) -> list:
    """Return the translated reasons why the initiative cannot be accepted for cheques."""
    found = rules.acceptance_problems(
        target_cents=idea.target_cents,
        target_date=idea.target_date,
        max_target_cents=max_target_cents(),
        organiser_addresses=organiser_addresses(idea),
        today=local_today(),
    )
    messages = []
    for problem in found:
        if problem.code == "target_missing":
            messages.append(_l("The initiators have not set a target amount yet."))
        elif problem.code == "target_too_high":
            messages.append(
                _l(
                    "The target amount is above the maximum of %(maximum)s.",
                    maximum=_money(problem.params["maximum"]),
                )
            )
        elif problem.code == "date_missing":
            messages.append(_l("The initiators have not set a target date yet."))
        elif problem.code == "date_past":
            messages.append(_l("The target date must be in the future."))
        elif problem.code == "organisers":
            messages.append(
                _l(
                    "An initiative needs at least %(needed)d organisers from different addresses; it has %(found)d.",
                    needed=problem.params["needed"],
                    found=problem.params["found"],
                )
            )
    return messages


def check_acceptance(idea: Idea) -> None:
    """Raise IdeaRefused when the initiative does not meet the rules for cheque collection."""
    from buurtbegroting.ideas.services import IdeaRefused

    problems = acceptance_problems(idea)
    if problems:
        # One message: the review page shows the first message of a refused decision.
        raise IdeaRefused([" ".join(str(p) for p in problems)])


def _money(cents: int) -> str:
    from buurtbegroting.templating import format_cents

    return format_cents(cents)


# --- outcomes -----------------------------------------------------------------------------------


def extend_target_date(idea: Idea, actor: User, new_date: date) -> None:
    """Move the target date of a collecting initiative later, once."""
    if idea.target_date_extended:
        raise ChequeRefused([_l("The target date has already been extended once.")])
    if idea.status != IdeaStatus.ACCEPTED or idea.destination != Destination.CHEQUES:
        raise ChequeRefused([_l("This initiative is not collecting cheques.")])
    if idea.target_date is None or new_date <= idea.target_date or new_date <= local_today():
        raise ChequeRefused([_l("Choose a date after the current target date and after today.")])
    before = idea.target_date
    idea.target_date = new_date
    idea.target_date_extended = True
    db.session.flush()
    audit.record(
        actor,
        "cheques.date_extended",
        idea,
        summary=idea.title,
        before={"target_date": before.isoformat()},
        after={"target_date": new_date.isoformat()},
    )


def initiatives_for(user: User) -> list[Idea]:
    """Return the accepted cheque initiatives in the user's areas, ending first first."""
    from buurtbegroting.permissions import managed_area_ids

    query = (
        select(Idea)
        .where(Idea.status == IdeaStatus.ACCEPTED, Idea.destination == Destination.CHEQUES)
        .order_by(Idea.target_date, Idea.id)
        .options(selectinload(Idea.area))
    )
    scope = managed_area_ids(user)
    if scope is not None:
        query = query.where(Idea.area_id.in_(scope or {-1}))
    return list(db.session.scalars(query))


def mark_not_reached(idea: Idea) -> int:
    """Close an initiative that did not reach its target: not funded, value back to the pot."""
    from buurtbegroting.ideas import services as idea_services

    per_campaign = db.session.execute(
        select(Cheque.campaign_id, func.count(Cheque.id), ChequeCampaign.value_cents)
        .join(ChequeCampaign)
        .where(Cheque.idea_id == idea.id, Cheque.status == CodeStatus.USED)
        .group_by(Cheque.campaign_id, ChequeCampaign.value_cents)
    ).all()
    idea_services.change_status(
        idea,
        IdeaStatus.NOT_FUNDED,
        None,
        str(_l("The target date has passed without reaching the target.")),
    )
    total = 0
    for campaign_id, count, value in per_campaign:
        db.session.add(
            PotEntry(
                campaign_id=campaign_id,
                idea_id=idea.id,
                amount_cents=count * value,
                reason="target not reached",
            )
        )
        total += count * value
    db.session.flush()
    audit.record(
        None,
        "cheques.not_reached",
        idea,
        summary=idea.title,
        after={"to_pot_cents": total, "target_cents": idea.target_cents},
    )
    return total


@dataclass
class CloseSummary:
    """What close-expired did."""

    funded: list[int] = field(default_factory=list)
    not_reached: list[int] = field(default_factory=list)
    expired_cheques: int = 0
    to_pot_cents: int = 0


def close_expired(today: date | None = None) -> CloseSummary:
    """Apply the date rules: fund reached targets, close passed dates, expire unused cheques.

    Running it twice changes nothing the second time. Commits after each initiative,
    so one failure does not undo the others.
    """
    today = today or local_today()
    summary = CloseSummary()
    ids = list(
        db.session.scalars(
            select(Idea.id).where(
                Idea.status == IdeaStatus.ACCEPTED, Idea.destination == Destination.CHEQUES
            )
        )
    )
    for idea_id in ids:
        idea = db.session.get(Idea, idea_id, with_for_update=True)
        decision = rules.outcome(idea_facts(idea), today) if idea else None
        if decision == "funded":
            fund(idea)
            summary.funded.append(idea.id)
        elif decision == "not_reached":
            summary.to_pot_cents += mark_not_reached(idea)
            summary.not_reached.append(idea.id)
        db.session.commit()
    ended = select(ChequeCampaign.id).where(ChequeCampaign.activation_ends_on < today)
    result = db.session.execute(
        update(Cheque)
        .where(Cheque.status == CodeStatus.ISSUED, Cheque.campaign_id.in_(ended))
        .values(status=CodeStatus.EXPIRED),
        execution_options={"synchronize_session": False},
    )
    summary.expired_cheques = result.rowcount
    if summary.expired_cheques:
        audit.record(
            None,
            "cheques.expired",
            object_type="cheques",
            summary=f"{summary.expired_cheques} cheques expired",
            after={"expired": summary.expired_cheques},
        )
    db.session.commit()
    return summary


# --- statistics ---------------------------------------------------------------------------------


@dataclass
class AreaRow:
    """Cheques issued and redeemed for one neighbourhood (or without one)."""

    code: str
    name: str
    issued: int
    redeemed: int

    @property
    def share(self) -> float:
        """Return the share redeemed, 0-100."""
        return 100.0 * self.redeemed / self.issued if self.issued else 0.0


@dataclass
class IdeaRow:
    """What one initiative received from the campaign."""

    idea: Idea
    cheques: int
    cents: int


@dataclass
class Stats:
    """A campaign's statistics."""

    campaign: ChequeCampaign
    areas: list[AreaRow]
    ideas: list[IdeaRow]
    counts: dict[str, int]
    to_pot_cents: int

    @property
    def issued(self) -> int:
        """Return the cheques issued (void ones left out)."""
        return sum(r.issued for r in self.areas)

    @property
    def redeemed(self) -> int:
        """Return the cheques given to initiatives."""
        return sum(r.redeemed for r in self.areas)

    @property
    def share(self) -> float:
        """Return the share of issued cheques that was given, 0-100."""
        return 100.0 * self.redeemed / self.issued if self.issued else 0.0

    @property
    def funded(self) -> list[IdeaRow]:
        """Return the initiatives that reached their target."""
        return [r for r in self.ideas if r.idea.status in FUNDED_STATUSES]

    @property
    def not_reached(self) -> list[IdeaRow]:
        """Return the initiatives that did not reach their target."""
        return [r for r in self.ideas if r.idea.status == IdeaStatus.NOT_FUNDED]

    @property
    def most(self) -> int:
        """Return the largest number issued in one neighbourhood (for the chart's scale)."""
        return max([r.issued for r in self.areas] + [1])


def campaign_stats(campaign: ChequeCampaign) -> Stats:
    """Return issued and redeemed cheques per neighbourhood, and euros per initiative."""
    rows = db.session.execute(
        select(Cheque.area_id, Cheque.status, func.count(Cheque.id))
        .where(Cheque.campaign_id == campaign.id, Cheque.status != CodeStatus.VOID)
        .group_by(Cheque.area_id, Cheque.status)
    ).all()
    issued: Counter = Counter()
    redeemed: Counter = Counter()
    for area_id, status, n in rows:
        issued[area_id] += n
        if status == CodeStatus.USED:
            redeemed[area_id] += n
    areas = {
        a.id: a
        for a in db.session.scalars(select(Area).where(Area.id.in_([i for i in issued if i])))
    }
    area_rows = [
        AreaRow(
            areas[i].code if i else "",
            areas[i].name if i else "",
            issued[i],
            redeemed[i],
        )
        for i in issued
    ]
    area_rows.sort(key=lambda r: (r.code == "", r.code))
    per_idea = db.session.execute(
        select(Cheque.idea_id, func.count(Cheque.id))
        .where(Cheque.campaign_id == campaign.id, Cheque.status == CodeStatus.USED)
        .group_by(Cheque.idea_id)
    ).all()
    ideas = {
        i.id: i
        for i in db.session.scalars(
            select(Idea)
            .where(Idea.id.in_([r[0] for r in per_idea]))
            .options(selectinload(Idea.area))
        )
    }
    idea_rows = sorted(
        (IdeaRow(ideas[i], n, n * campaign.value_cents) for i, n in per_idea if i in ideas),
        key=lambda r: (-r.cents, r.idea.title),
    )
    pot = (
        db.session.scalar(
            select(func.sum(PotEntry.amount_cents)).where(PotEntry.campaign_id == campaign.id)
        )
        or 0
    )
    return Stats(campaign, area_rows, idea_rows, status_counts(campaign), pot)


def default_dates(today: date | None = None) -> tuple[date, date]:
    """Return the default activation window: from today, six weeks."""
    today = today or local_today()
    return today, today + rules.DEFAULT_WINDOW - timedelta(days=1)
