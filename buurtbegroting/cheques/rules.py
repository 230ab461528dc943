"""Pure rules of cheque campaigns: no Flask, no SQLAlchemy.

What a list of typed codes means, whether a cheque may be given, when an initiative
is funded or has not reached its target, addresses as keyed hashes, and the count of
addresses per neighbourhood read from a CSV file.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from buurtbegroting.domain import DomainError
from buurtbegroting.domain.areas import InvalidPostcode, normalize_postcode
from buurtbegroting.domain.codes import InvalidCode, normalize_code

#: The default activation window of a campaign (Rheden: six weeks).
DEFAULT_WINDOW = timedelta(weeks=6)
#: At least this many organisers from different addresses (Ede Doet).
MIN_ORGANISERS = 3
#: At most this many codes in one submission (a pasted list of 500 still works).
MAX_CODES = 500

_SPLIT = re.compile(r"[\s,;]+")
_HOUSE_NUMBER = re.compile(r"^([1-9][0-9]{0,4})[\s-]*([A-Z0-9]{0,6})$")


# --- codes typed or pasted ---------------------------------------------------------


@dataclass
class Entry:
    """One code as typed, and what the format check made of it."""

    position: int
    typed: str
    #: The normalised code, or None when the text cannot be a code.
    code: str | None = None
    #: "length", "characters", "check" (typing errors) or "duplicate".
    problem: str | None = None


def split_pasted(text: str) -> list[str]:
    """Split a pasted list into codes: one per line, or separated by commas or semicolons.

    A code typed in groups ("ABCD EFGH JKMNP") stays one code: a line whose
    characters, without spaces, are exactly one code's length is taken whole.
    """
    found: list[str] = []
    for line in (text or "").splitlines():
        compact = re.sub(r"[\s\-_.]", "", line)
        if not compact:
            continue
        if len(compact) == 13 and not re.search(r"[,;]", line):
            found.append(line.strip())
            continue
        found.extend(part for part in _SPLIT.split(line) if part.strip())
    return found


def read_entries(typed: list[str]) -> list[Entry]:
    """Check the format of every typed code; empty fields are skipped, repeats are marked."""
    entries: list[Entry] = []
    seen: set[str] = set()
    for text in typed:
        text = (text or "").strip()
        if not text:
            continue
        entry = Entry(position=len(entries), typed=text)
        try:
            entry.code = normalize_code(text)
        except InvalidCode as error:
            entry.problem = error.reason
        else:
            if entry.code in seen:
                entry.problem = "duplicate"
            seen.add(entry.code)
        entries.append(entry)
    return entries


# --- whether a cheque can be given ------------------------------------------------


@dataclass(frozen=True)
class ChequeFacts:
    """What is known about a cheque whose code was found."""

    status: str
    starts_on: date
    ends_on: date
    #: The idea it was given to, when used.
    idea_id: int | None = None
    #: None: the whole municipality; otherwise the ids of areas where it may be given.
    allowed_area_ids: frozenset[int] | None = None


def cheque_problem(
    facts: ChequeFacts, today: date, idea_area_ids: set[int] | None = None, idea_id=None
) -> str | None:
    """Return why this cheque cannot be given now (a code), or None when it can.

    ``idea_area_ids`` are the idea's area and the areas above it, to check the
    campaign's scope; ``idea_id`` recognises a form sent twice.
    """
    if facts.status == "used":
        return "given_here" if idea_id is not None and facts.idea_id == idea_id else "used"
    if facts.status == "void":
        return "void"
    if facts.status == "expired" or today > facts.ends_on:
        return "expired"
    if today < facts.starts_on:
        return "not_yet"
    if (
        idea_area_ids is not None
        and facts.allowed_area_ids is not None
        and not (facts.allowed_area_ids & idea_area_ids)
    ):
        return "out_of_scope"
    return None


@dataclass(frozen=True)
class IdeaFacts:
    """What decides whether an initiative accepts cheques."""

    status: str
    destination: str
    target_cents: int | None
    target_date: date | None
    collected_cents: int


def idea_problem(facts: IdeaFacts, today: date) -> str | None:
    """Return why the initiative accepts no cheques now (a code), or None when it does."""
    if facts.destination != "cheques":
        return "not_cheques"
    if facts.status == "funded" or (
        facts.status == "accepted"
        and facts.target_cents is not None
        and facts.collected_cents >= facts.target_cents
    ):
        return "funded"
    if facts.status == "not_funded":
        return "not_reached"
    if facts.status != "accepted" or not facts.target_cents or facts.target_date is None:
        return "not_collecting"
    if today > facts.target_date:
        return "date_passed"
    return None


def outcome(facts: IdeaFacts, today: date) -> str | None:
    """Return what should happen to an accepted cheque initiative today.

    "funded" when the target is reached, "not_reached" when the target date has
    passed without reaching it, None while it is still collecting (or not applicable).
    """
    if facts.status != "accepted" or facts.destination != "cheques" or not facts.target_cents:
        return None
    if facts.collected_cents >= facts.target_cents:
        return "funded"
    if facts.target_date is not None and today > facts.target_date:
        return "not_reached"
    return None


def days_left(target_date: date | None, today: date) -> int | None:
    """Return the days left to collect, the target date included (0 once it has passed)."""
    if target_date is None:
        return None
    return max(0, (target_date - today).days + 1)


# --- acceptance rules --------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A reason why an initiative cannot be accepted for cheques; translated by the app."""

    code: str
    params: dict = field(default_factory=dict)


def acceptance_problems(
    *,
    target_cents: int | None,
    target_date: date | None,
    max_target_cents: int,
    organiser_addresses: list[str | None],
    today: date,
) -> list[Problem]:
    """Return what stands in the way of accepting an initiative for cheque collection.

    ``organiser_addresses`` holds the address hash of the author and of every
    confirmed co-organiser (None where no address is known).
    """
    problems = []
    if not target_cents:
        problems.append(Problem("target_missing"))
    elif target_cents > max_target_cents:
        problems.append(Problem("target_too_high", {"maximum": max_target_cents}))
    if target_date is None:
        problems.append(Problem("date_missing"))
    elif target_date <= today:
        problems.append(Problem("date_past"))
    addresses = {a for a in organiser_addresses if a}
    if len(addresses) < MIN_ORGANISERS:
        problems.append(Problem("organisers", {"needed": MIN_ORGANISERS, "found": len(addresses)}))
    return problems


# --- addresses -------------------------------------------------------------------------


class InvalidAddress(DomainError):
    """The postcode or house number cannot be an address."""

    def __init__(self, code: str):
        super().__init__(code)
        #: "postcode" or "house_number".
        self.code = code


def normalize_address(postcode: str, house_number: str) -> tuple[str, str]:
    """Return (PC6, house number with addition) in one spelling; raise InvalidAddress."""
    try:
        pc = normalize_postcode(postcode)
    except InvalidPostcode:
        raise InvalidAddress("postcode") from None
    if len(pc) != 6:
        raise InvalidAddress("postcode")
    match = _HOUSE_NUMBER.match((house_number or "").strip().upper())
    if not match:
        raise InvalidAddress("house_number")
    number, addition = match.groups()
    return pc, number + (f"-{addition}" if addition else "")


def address_hash(postcode: str, house_number: str, key: bytes) -> str:
    """Return a keyed hash of a normalised address, to tell addresses apart without keeping them."""
    pc, number = normalize_address(postcode, house_number)
    return hmac.new(key, f"address:{pc}:{number}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """Return the SHA-256 of a confirmation token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- addresses per neighbourhood -------------------------------------------------------


class InvalidCountFile(DomainError):
    """The file of address counts cannot be read; ``rows`` holds (line, code, params)."""

    def __init__(self, rows: list[tuple[int, str, dict]]):
        super().__init__(f"{len(rows)} problems")
        self.rows = rows


def read_address_counts(data: bytes) -> dict[str, int]:
    """Read "neighbourhood code; number of addresses" rows (comma or semicolon, header optional).

    Returns {CBS code: addresses}; raises InvalidCountFile with every row problem.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidCountFile([(0, "encoding", {})]) from None
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    counts: dict[str, int] = {}
    problems: list[tuple[int, str, dict]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2:
            problems.append((number, "columns", {}))
            continue
        code, amount = cells[0].upper(), cells[1].replace(".", "").replace(" ", "")
        if number == 1 and not amount.isdigit():
            continue  # a header
        if not re.fullmatch(r"BU[0-9]{4}[0-9A-Z]{4}", code):
            problems.append((number, "code", {"code": cells[0]}))
        elif not amount.isdigit() or int(amount) > 1_000_000:
            problems.append((number, "count", {"value": cells[1]}))
        elif code in counts:
            problems.append((number, "repeated", {"code": code}))
        else:
            counts[code] = int(amount)
    if problems:
        raise InvalidCountFile(problems)
    if not counts:
        raise InvalidCountFile([(0, "empty", {})])
    return counts
