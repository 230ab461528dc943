"""The owner's set-up: target, end date and co-organisers who confirm with their address."""

from __future__ import annotations

import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from buurtbegroting.cheques import rules
from buurtbegroting.cheques.services.common import (
    AUTHOR_MARK,
    SETUP_STATUSES,
    ChequeRefused,
    max_target_cents,
)
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.keys import code_hash_key
from buurtbegroting.models import (
    CoOrganiser,
    Destination,
    Idea,
    User,
    utcnow,
)
from buurtbegroting.templating import format_cents


def organisers(idea: Idea) -> list[CoOrganiser]:
    """Return the co-organisers invited for the initiative (the author's own row left out)."""
    return [
        c
        for c in db.session.scalars(
            select(CoOrganiser).where(CoOrganiser.idea_id == idea.id).order_by(CoOrganiser.id)
        )
        if not (c.token_hash or "").startswith(AUTHOR_MARK)
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
        hashed = rules.address_hash(postcode, house_number, code_hash_key())
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
            _l("The target can be at most %(maximum)s.", maximum=format_cents(max_target_cents()))
        )
    if target_date <= today_nl():
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
    from buurtbegroting.auth.services import NOT_VERIFIED
    from buurtbegroting.mail import send_mail
    from buurtbegroting.urls import external_url

    if not actor.is_verified:
        raise ChequeRefused([NOT_VERIFIED])
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
    # Fixed text only: the name, title and inviter's name are typed by the inviter and
    # would let anyone send their own words under the municipality's name. The
    # confirmation page (on this site) shows who asked and for what.
    send_mail(
        email,
        _l("Invitation to organise a neighbourhood initiative"),
        "cheque_coorganiser",
        secret=True,
        url=external_url("cheques.confirm", token=token),
    )
    return row


def remove_organiser(idea: Idea, organiser_id: int) -> None:
    """Remove an invited co-organiser from the initiative."""
    row = db.session.get(CoOrganiser, organiser_id)
    if row is None or row.idea_id != idea.id or (row.token_hash or "").startswith(AUTHOR_MARK):
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
        today=today_nl(),
    )
    return [ACCEPTANCE_MESSAGES[p.code](p.params) for p in found if p.code in ACCEPTANCE_MESSAGES]


#: The sentence for each problem code of ``rules.acceptance_problems``, given its params.
ACCEPTANCE_MESSAGES = {
    "target_missing": lambda params: _l("The initiators have not set a target amount yet."),
    "target_too_high": lambda params: _l(
        "The target amount is above the maximum of %(maximum)s.",
        maximum=format_cents(params["maximum"]),
    ),
    "date_missing": lambda params: _l("The initiators have not set a target date yet."),
    "date_past": lambda params: _l("The target date must be in the future."),
    "organisers": lambda params: _l(
        "An initiative needs at least %(needed)d organisers from different addresses; it has %(found)d.",
        needed=params["needed"],
        found=params["found"],
    ),
}


def check_acceptance(idea: Idea) -> None:
    """Raise IdeaRefused when the initiative does not meet the rules for cheque collection."""
    from buurtbegroting.ideas.services import IdeaRefused

    problems = acceptance_problems(idea)
    if problems:
        # One message: the review page shows the first message of a refused decision.
        raise IdeaRefused([" ".join(str(p) for p in problems)])
