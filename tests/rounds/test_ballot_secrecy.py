"""Ballot secrecy against whoever reads the database: a DBA, a backup, a replica.

Five people vote in a known order with known choices; then every table is read as a
database reader would (system columns, row order, every column), during voting and after
closing. On PostgreSQL the rows each voting transaction wrote are found by their ``xmin``;
on SQLite by the ``rowid`` order. No row written by a vote may hold readable choices or a
time of day, and after closing the ballots' storage order must not be the voting order.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox
from sqlalchemy import text

from buurtbegroting.models import Role, SealedBallot, VoterIdentification
from buurtbegroting.rounds import closing, sealing
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, make_voter, put_on_ballot

#: Which ideas (by position on the ballot) each voter chooses, in the order they vote.
CHOICES = [(0,), (1, 2), (0, 3), (2,), (1, 3, 4)]
#: Tables a vote may write to; none of them can hold what the ballot says.
#: ballot_starts is written when an account opens the ballot (its own transaction, no choices).
MARK_TABLES = {
    "voting_codes",
    "round_voters",
    "sealed_ballots",
    "network_signals",
    "budget_rounds",
    "ballot_starts",
    "second_area_voters",
}


@pytest.fixture()
def five_votes(app, db):
    round_ = make_round(max_choices=3, identification=VoterIdentification.BOTH)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [100_000, 110_000, 120_000, 130_000, 140_000])
    codes = issue_codes(ra, 3)
    voters = [make_voter(ra.area, email=f"kiezer{i}@oss.nl") for i in range(2)]
    admin = make_user(role=Role.ADMIN, email="beheer@oss.nl")
    db.session.commit()
    postgres = db.engine.dialect.name == "postgresql"
    started = datetime.now(UTC)
    before_xid = _current_xid(db) if postgres else None
    receipts = []
    # Voters 1, 3 and 5 use a letter's code; 2 and 4 log in.
    for number, chosen in enumerate(CHOICES):
        client = app.test_client()
        if number % 2 == 0:
            answer = client.post(f"/stemmen/{round_.id}", data={"code": codes[number // 2]})
        else:
            with client.session_transaction() as session:
                session["_user_id"] = voters[number // 2].get_id()
                session["_fresh"] = True
            answer = client.get(f"/stemmen/{round_.id}/account/{ra.id}")
        assert answer.status_code == 302, answer.text
        done = client.post(
            f"/stemmen/gebied/{ra.id}",
            data={"item": [items[i].id for i in chosen], "action": "confirm"},
        )
        assert done.status_code == 302, done.text
        with client.session_transaction() as session:
            receipts.append(session["ballot_receipt"]["number"])
    after_xid = _current_xid(db) if postgres else None
    finished = datetime.now(UTC)
    return {
        "window": (started, finished),
        "round": round_,
        "ra": ra,
        "items": items,
        "admin": admin,
        "xids": (before_xid, after_xid),
        "voted": [sorted(items[i].id for i in chosen) for chosen in CHOICES],
        "receipts": receipts,
    }


def _current_xid(db) -> int:
    value = db.session.execute(text("SELECT txid_current() % 4294967296")).scalar()
    db.session.commit()
    return int(value)


def _dump(db) -> dict[str, list[dict]]:
    """Every row of every table with its system columns, in storage order."""
    postgres = db.engine.dialect.name == "postgresql"
    tables = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if postgres:
                query = (
                    f'SELECT xmin::text::bigint AS "_xmin", ctid AS "_ctid", * '
                    f'FROM "{table.name}" ORDER BY ctid'
                )
            else:
                query = f'SELECT rowid AS "_rowid", * FROM "{table.name}" ORDER BY rowid'
            tables[table.name] = [dict(row._mapping) for row in conn.execute(text(query))]
    return tables


def _written_by_votes(dump, xids) -> dict[str, list[dict]]:
    low, high = xids
    return {
        name: [row for row in rows if low < row["_xmin"] < high]
        for name, rows in dump.items()
        if any(low < row["_xmin"] < high for row in rows)
    }


def _times_of_day(row: dict, window: tuple[datetime, datetime]) -> list:
    """Datetime values in a row that lie in the voting window (a time finer than the day)."""
    found = []
    for key, value in row.items():
        if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                continue
        if isinstance(value, datetime):
            moment = value if value.tzinfo else value.replace(tzinfo=UTC)
            if window[0] <= moment <= window[1]:
                found.append(key)
    return found


def test_during_voting_no_row_holds_readable_choices(db, five_votes):
    dump = _dump(db)
    assert dump["ballots"] == [] and dump["ballot_choices"] == []
    envelopes = dump["sealed_ballots"]
    assert len(envelopes) == 5
    # All envelopes are the same length and do not open without the round's key.
    assert len({len(row["envelope"]) for row in envelopes}) == 1
    stranger = SealedBox(PrivateKey.generate())
    for row in envelopes:
        assert b'"c"' not in bytes(row["envelope"])
        with pytest.raises(CryptoError):
            stranger.decrypt(bytes(row["envelope"]))
        assert row["pseudonym"] is None
    # The receipt numbers are in no row during voting: only inside the envelopes.
    for name, rows in dump.items():
        for row in rows:
            for number in five_votes["receipts"]:
                assert number not in repr(row), (name, row)
    # No row anywhere holds a time of the voting (only the day is kept, inside the envelope).
    for name, rows in dump.items():
        for row in rows:
            assert _times_of_day(row, five_votes["window"]) == [], (name, row)
    if db.engine.dialect.name == "postgresql":
        written = _written_by_votes(dump, five_votes["xids"])
        assert set(written) <= MARK_TABLES, set(written) - MARK_TABLES
        assert len(written["sealed_ballots"]) == 5
    # With the round's key (held outside the database) the envelopes open to the choices.
    round_ = five_votes["round"]
    open_envelope = sealing.opener(round_.id, round_.ballot_public_key)
    opened = sorted(sorted(open_envelope(bytes(row["envelope"])).choices) for row in envelopes)
    assert opened == sorted(five_votes["voted"])


def test_after_closing_ballots_are_shuffled_and_unlinked(db, five_votes):
    before = _dump(db)
    envelope_ids = {row["id"] for row in before["sealed_ballots"]}
    closing.close_round(five_votes["round"], five_votes["admin"], "Test van de geheimhouding")
    db.session.commit()
    dump = _dump(db)
    assert dump["sealed_ballots"] == []
    ballots = dump["ballots"]
    assert len(ballots) == 5
    # New random ids, and the rows are stored in the order of those ids, not of voting.
    assert not envelope_ids & {row["id"] for row in ballots}
    assert [row["id"] for row in ballots] == sorted(row["id"] for row in ballots)
    assert all(
        set(row) <= {"_xmin", "_ctid", "_rowid", "id", "round_area_id", "cast_on", "is_paper"}
        for row in ballots
    )
    choices: dict[str, list[int]] = {}
    for row in dump["ballot_choices"]:
        choices.setdefault(row["ballot_id"], []).append(row["ballot_item_id"])
    stored = [sorted(choices[row["id"]]) for row in ballots]
    assert sorted(stored) == sorted(five_votes["voted"])
    for name, rows in dump.items():
        if name in ("ballots", "ballot_choices"):
            for row in rows:
                assert _times_of_day(row, five_votes["window"]) == []
    if db.engine.dialect.name == "postgresql":
        # Every ballot and choice was written by the closing transaction, none by a vote.
        low, high = five_votes["xids"]
        xmins = {row["_xmin"] for row in ballots + dump["ballot_choices"]}
        assert len(xmins) == 1 and not any(low < x < high for x in xmins)
        marks = {row["_xmin"] for name in ("voting_codes", "round_voters") for row in dump[name]}
        assert not xmins & marks
    # The receipt list is published sorted on the area, not in voting or ballot order, and
    # no ballot or choice row carries a receipt number.
    receipts = five_votes["receipts"]
    assert len(set(receipts)) == 5
    (area_row,) = [row for row in dump["round_areas"] if row["id"] == five_votes["ra"].id]
    assert area_row["receipt_numbers"].split("\n") == sorted(receipts)
    for name in ("ballots", "ballot_choices", "sealed_ballots", "round_voters", "voting_codes"):
        for row in dump[name]:
            assert not any(number in repr(row) for number in receipts), (name, row)
    # The published file is the same: the .pb holds the choices, not who or when.
    pb = five_votes["ra"].result
    assert pb["ballots"] == 5
    assert "kiezer" not in json.dumps(pb)


def test_a_changed_ballot_replaces_its_envelope(app, db):
    round_ = make_round(allow_ballot_changes=True)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [1000, 2000])
    voter = make_voter(ra.area)
    db.session.commit()
    from buurtbegroting.rounds import services

    services.cast_ballot(ra, {items[0].id: 1}, user=voter)
    db.session.commit()
    first = db.session.scalar(db.select(SealedBallot.envelope))
    services.cast_ballot(ra, {items[1].id: 1}, user=voter)
    db.session.commit()
    rows = db.session.scalars(db.select(SealedBallot)).all()
    assert len(rows) == 1 and rows[0].envelope != first
    assert len(rows[0].pseudonym) == 64 and str(voter.id) != rows[0].pseudonym


def test_closing_with_another_ballot_key_changes_nothing(app, db, five_votes):
    from buurtbegroting.rounds.services import VoteRefused

    app.config["BALLOT_KEY"] = "a-different-key-than-the-ballots-were-sealed-with"
    try:
        with pytest.raises(VoteRefused, match="BALLOT_KEY"):
            closing.close_round(five_votes["round"], five_votes["admin"], "Test")
        db.session.rollback()
    finally:
        app.config["BALLOT_KEY"] = None
    assert db.session.query(SealedBallot).count() == 5
    db.session.refresh(five_votes["round"])
    assert five_votes["round"].closed_at is None


def test_a_vote_in_a_second_area_marks_only_the_area(app, db):
    """The second-area marks say "voted in area X too", like round_voters; nothing more."""
    from buurtbegroting.domain.receipts import new_receipt
    from buurtbegroting.rounds import services
    from tests.factories import make_district, make_neighbourhood

    district = make_district()
    areas = [(make_neighbourhood(district, postcodes=()), 1_000_000) for _ in range(2)]
    round_ = make_round(areas, allows_second_area=True)
    home, other = round_.areas
    home_items, other_items = put_on_ballot(home, [1000, 2000]), put_on_ballot(other, [3000])
    code = services.find_code(round_, issue_codes(home, 1)[0])
    voter = make_voter(home.area)
    db.session.commit()
    started, receipts = datetime.now(UTC), []
    for who in ({"code": code}, {"user": voter}):
        for ra, item in ((home, home_items[0]), (other, other_items[0])):
            receipts.append(new_receipt())
            services.cast_ballot(ra, {item.id: 1}, receipt=receipts[-1], **who)
            db.session.commit()
    window = (started, datetime.now(UTC))
    dump = _dump(db)
    (mark,) = dump["second_area_voters"]
    assert {k for k in mark if not k.startswith("_")} == {"round_id", "user_id", "round_area_id"}
    assert mark["round_area_id"] == other.id
    (code_row,) = dump["voting_codes"]
    assert code_row["second_round_area_id"] == other.id
    for name, rows in dump.items():
        for row in rows:
            assert not any(number in repr(row) for number in receipts), (name, row)
            assert _times_of_day(row, window) == [], (name, row)
    assert len(dump["sealed_ballots"]) == 4
    assert all(row["pseudonym"] is None for row in dump["sealed_ballots"])
