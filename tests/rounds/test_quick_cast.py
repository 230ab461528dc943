"""The quick path of a code ballot in its own area (rounds/services/quick_cast.py).

It makes the same checks as the general path from one light query; whenever the case is not
plain it writes nothing and the general path refuses with the usual message.
"""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import func, select, update

from buurtbegroting.extensions import db as _db
from buurtbegroting.models import BallotType, BudgetRound, CodeStatus, SealedBallot, VotingCode
from buurtbegroting.rounds import sealing
from buurtbegroting.rounds.services import links, quick_cast
from tests.ballots import opened_ballots
from tests.factories.rounds import issue_codes, make_round, put_on_ballot
from tests.querycount import count_statements
from tests.races import run_at_once


def _ballots(db):
    return db.session.scalar(select(func.count(SealedBallot.id)))


def _code_status(db, ra):
    db.session.expire_all()
    return db.session.scalars(
        select(VotingCode.status).where(VotingCode.round_area_id == ra.id)
    ).all()


def _open(client, code, ra):
    assert client.post("/stem", data={"code": code}).status_code == 302
    assert client.get(f"/stemmen/gebied/{ra.id}").status_code == 200


def _confirm(client, ra, item_ids):
    return client.post(f"/stemmen/gebied/{ra.id}", data={"item": item_ids, "action": "confirm"})


@contextmanager
def _sent(monkeypatch):
    """Collect the SQL sent: through SQLAlchemy, and on PostgreSQL straight to the driver."""
    driver_sql = links.driver_sql
    with count_statements() as statements:

        def spy(statement, dialect):
            sql = driver_sql(statement, dialect)
            statements.append(sql)
            return sql

        monkeypatch.setattr(links, "driver_sql", spy)
        yield statements
    monkeypatch.undo()


def test_a_plain_code_ballot_is_one_read_and_one_write(client, db, voting, monkeypatch):
    ra, items = voting["ra"], voting["items"]
    ra_id, item_ids = ra.id, [item.id for item in items]
    for n, code in enumerate(voting["codes"][:2]):
        _open(client, code, ra)
        with _sent(monkeypatch) as statements:
            done = client.post(
                f"/stemmen/gebied/{ra_id}", data={"item": [item_ids[n]], "action": "confirm"}
            )
        assert done.status_code == 302 and done.headers["Location"].endswith(
            f"/stemmen/bedankt/{ra.id}"
        )
        # The network count is a statement of its own after the commit (test_round_signals).
        writes = [
            s
            for s in statements
            if s.lstrip().upper().startswith(("UPDATE", "INSERT", "WITH"))
            and "network_signals" not in s
        ]
        reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        # The first ballot of the round also stores its public key. PostgreSQL marks the code
        # and stores the envelope in one statement; SQLite in two, in one transaction.
        one_or_two = 1 if db.engine.dialect.name == "postgresql" else 2
        assert len(writes) == (1 if n == 0 else 0) + one_or_two, writes
        if one_or_two == 1:
            assert (
                "UPDATE voting_codes" in writes[-1] and "INSERT INTO sealed_ballots" in writes[-1]
            )
        assert len(reads) == (2 if n == 0 else 1), "\n\n".join(statements)  # facts (and costs)
        assert "voting_codes" in reads[0] and "budget_rounds" in reads[0]
        page = client.get(done.headers["Location"]).get_data(as_text=True)
        assert "Bedankt voor uw stem" in page
    assert _code_status(db, ra).count(CodeStatus.USED) == 2
    round_ = db.session.get(BudgetRound, voting["round"].id)
    assert round_.ballot_public_key == sealing.public_key_hex(round_.id)
    opened = opened_ballots(db, ra)
    assert sorted(str(b.choices) for b in opened) == sorted(
        str({item_id: 1}) for item_id in item_ids[:2]
    )
    assert all(b.receipt and not b.is_paper for b in opened)


def test_the_receipt_number_shown_is_the_one_sealed(client, db, voting):
    ra, items = voting["ra"], voting["items"]
    _open(client, voting["codes"][0], ra)
    _confirm(client, ra, [items[0].id])
    with client.session_transaction() as session:
        shown = session["ballot_receipt"]["number"]
    assert [b.receipt for b in opened_ballots(db, ra)] == [shown]


def test_a_code_used_after_the_ballot_opened_is_refused(client, db, voting):
    ra, items = voting["ra"], voting["items"]
    _open(client, voting["codes"][0], ra)
    db.session.execute(update(VotingCode).values(status=CodeStatus.USED))  # another device
    db.session.commit()
    response = _confirm(client, ra, [items[0].id])
    assert response.status_code == 422
    assert "Met deze code is al gestemd" in response.get_data(as_text=True)
    assert _ballots(db) == 0


def test_a_code_made_void_after_the_ballot_opened_is_refused(client, db, voting):
    ra, items = voting["ra"], voting["items"]
    _open(client, voting["codes"][0], ra)
    db.session.execute(update(VotingCode).values(status=CodeStatus.VOID))
    db.session.commit()
    response = _confirm(client, ra, [items[0].id])
    assert response.status_code in (403, 422)
    assert _ballots(db) == 0


def test_a_round_closed_after_the_ballot_opened_takes_no_ballot(client, db, voting):
    ra, items = voting["ra"], voting["items"]
    _open(client, voting["codes"][0], ra)
    round_ = db.session.get(BudgetRound, voting["round"].id)
    round_.voting_closes_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    response = _confirm(client, ra, [items[0].id])
    assert response.status_code == 409
    assert "niet open" in response.get_data(as_text=True)
    assert _ballots(db) == 0
    assert _code_status(db, ra) == [CodeStatus.ISSUED] * 3


def test_a_stored_key_of_another_ballot_key_refuses_and_writes_nothing(client, db, voting):
    ra, items = voting["ra"], voting["items"]
    round_ = db.session.get(BudgetRound, voting["round"].id)
    round_.ballot_public_key = "ab" * 32
    db.session.commit()
    _open(client, voting["codes"][0], ra)
    response = _confirm(client, ra, [items[0].id])
    assert response.status_code == 422
    assert "storing" in response.get_data(as_text=True)
    assert _ballots(db) == 0
    assert _code_status(db, ra) == [CodeStatus.ISSUED] * 3


@pytest.mark.parametrize(
    ("chosen", "message"),
    [([], "Kies minstens 1"), ("all", "Kies hoogstens 2"), (["x"], "niet op dit stembiljet")],
)
def test_a_ballot_against_the_rules_gets_the_usual_message(client, db, voting, chosen, message):
    ra, items = voting["ra"], voting["items"]
    _open(client, voting["codes"][0], ra)
    chosen = [i.id for i in items] if chosen == "all" else chosen
    response = _confirm(client, ra, chosen)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _ballots(db) == 0
    assert _code_status(db, ra) == [CodeStatus.ISSUED] * 3


def test_plain_case_is_only_a_code_in_its_own_area_now(app, db, voting):
    ra = voting["ra"]
    code = db.session.scalars(select(VotingCode).where(VotingCode.round_area_id == ra.id)).first()
    ra_id, code_hash = ra.id, code.code_hash
    db.session.commit()
    with links.link() as link:
        assert quick_cast.plain_case(link, ra_id, code_hash) is not None
        assert quick_cast.plain_case(link, ra_id + 1000, code_hash) is None  # elsewhere
        assert quick_cast.plain_case(link, ra_id, "0" * 64) is None  # no such code
    changes = make_round(allow_ballot_changes=True)
    other = changes.areas[0]
    put_on_ballot(other, [1000])
    issue_codes(other, 1)
    _db.session.commit()
    other_code = _db.session.scalars(
        select(VotingCode).where(VotingCode.round_area_id == other.id)
    ).one()
    other_id, other_hash = other.id, other_code.code_hash
    _db.session.commit()
    with links.link() as link:
        assert quick_cast.plain_case(link, other_id, other_hash) is None  # may replace


def test_ballot_changes_still_replace_the_earlier_ballot(client, db):
    round_ = make_round(allow_ballot_changes=True, max_choices=2)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [1000, 2000])
    code = issue_codes(ra, 1)[0]
    db.session.commit()
    for item in items:
        _open(client, code, ra)
        assert _confirm(client, ra, [item.id]).status_code == 302
    assert [b.choices for b in opened_ballots(db, ra)] == [{items[1].id: 1}]


def test_twenty_confirms_of_one_code_at_once_make_one_ballot(app, db, voting):
    ra, items = voting["ra"], voting["items"]
    ra_id, item_id = ra.id, items[0].id
    clients = [app.test_client() for _ in range(20)]
    for client in clients:
        _open(client, voting["codes"][0], ra)
    statuses = []

    def attempt(client):
        answer = client.post(
            f"/stemmen/gebied/{ra_id}", data={"item": [item_id], "action": "confirm"}
        )
        statuses.append(answer.status_code)

    outcomes = run_at_once(app, [partial(attempt, c) for c in clients], AssertionError)
    assert outcomes == ["ok"] * 20, outcomes
    assert sorted(statuses) == [302] + [422] * 19, statuses
    db.session.expire_all()
    assert [b.choices for b in opened_ballots(db, ra)] == [{item_id: 1}]


def test_a_code_used_between_reading_and_writing_stores_no_envelope(app, db, voting):
    ra_id, item_id = voting["ra"].id, voting["items"][0].id
    code = db.session.scalars(select(VotingCode).where(VotingCode.round_area_id == ra_id)).first()
    code_hash, code_id = code.code_hash, code.id
    db.session.commit()
    with links.link() as link:
        facts = quick_cast.plain_case(link, ra_id, code_hash)
        assert facts is not None
        with db.engine.begin() as other:  # another ballot with the same code, committed first
            other.execute(
                update(VotingCode).where(VotingCode.id == code_id).values(status=CodeStatus.USED)
            )
        assert quick_cast.cast(link, facts, {item_id: 1}, "AAAA-BBBB-CCCC") is False
        link.commit()
    assert _ballots(db) == 0


def test_the_quick_paths_connection_goes_back_in_transaction_mode(app, db, client, voting):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: there each statement of the quick path commits itself")
    ra, items = voting["ra"], voting["items"]
    ra_id, item_id = ra.id, items[0].id
    db.session.close()
    db.engine.dispose()  # the request's connection is then the only one in the pool
    _open(client, voting["codes"][0], ra)
    db.session.close()
    db.engine.dispose()
    done = client.post(f"/stemmen/gebied/{ra_id}", data={"item": [item_id], "action": "confirm"})
    assert done.status_code == 302
    db.session.close()
    with db.engine.connect() as connection:
        assert connection.connection.driver_connection.autocommit is False


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ("void", 409, "Deze code geldt niet meer"),
        ("used", 409, "Met deze code is al gestemd"),
        ("closed", 409, "niet open"),
        (None, 302, None),
    ],
)
def test_the_letter_link_says_why_a_code_cannot_vote(client, db, voting, change, status, message):
    if change in ("void", "used"):
        db.session.execute(update(VotingCode).values(status=CodeStatus(change)))
    elif change == "closed":
        voting["round"].voting_closes_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    response = client.post("/stem", data={"code": voting["codes"][0]})
    assert response.status_code == status
    if message:
        assert message in response.text and 'id="code-error"' in response.text
        with client.session_transaction() as session:
            assert "ballot_access" not in session
    else:
        with client.session_transaction() as session:
            assert session["ballot_access"]["ra"] == voting["ra"].id


def test_a_confirm_without_its_csrf_token_is_refused_before_the_quick_path(
    app, client, db, voting, monkeypatch
):
    ra, items = voting["ra"], voting["items"]
    ra_id, item_id = ra.id, items[0].id
    _open(client, voting["codes"][0], ra)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    for token in (None, "not-a-token"):
        data = {"item": [item_id], "action": "confirm"}
        if token:
            data["csrf_token"] = token
        assert client.post(f"/stemmen/gebied/{ra_id}", data=data).status_code == 400
    assert _ballots(db) == 0
    assert _code_status(db, ra) == [CodeStatus.ISSUED] * 3
    # With the token of the ballot page the same ballot is cast.
    page = client.get(f"/stemmen/gebied/{ra_id}").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post(
        f"/stemmen/gebied/{ra_id}",
        data={"item": [item_id], "action": "confirm", "csrf_token": token},
    )
    assert done.status_code == 302
    assert _ballots(db) == 1


def _round_of(db, **settings):
    round_ = make_round(**settings)
    ra = round_.areas[0]
    item_ids = [item.id for item in put_on_ballot(ra, [300_000, 400_000, 500_000])]
    codes = issue_codes(ra, 2)
    db.session.commit()
    return ra.id, item_ids, codes


def test_a_cumulative_ballot_is_cast_with_its_points(client, db):
    ra_id, item_ids, codes = _round_of(
        db, ballot_type=BallotType.CUMULATIVE, cumulative_points=5, cumulative_max_per_idea=3
    )
    assert client.post("/stem", data={"code": codes[0]}).status_code == 302
    points = {f"points-{item_ids[0]}": "3", f"points-{item_ids[2]}": "2", "action": "confirm"}
    assert client.post(f"/stemmen/gebied/{ra_id}", data=points).status_code == 302
    assert [b.choices for b in opened_ballots(db)] == [{item_ids[0]: 3, item_ids[2]: 2}]


@pytest.mark.parametrize(
    ("points", "message"),
    [("-1", "Punten moeten hele getallen"), ("twee", "Punten moeten hele getallen"), ("4", "")],
)
def test_bad_points_on_a_cumulative_ballot_get_a_message(client, db, points, message):
    ra_id, item_ids, codes = _round_of(
        db, ballot_type=BallotType.CUMULATIVE, cumulative_points=5, cumulative_max_per_idea=3
    )
    client.post("/stem", data={"code": codes[0]})
    answer = client.post(
        f"/stemmen/gebied/{ra_id}", data={f"points-{item_ids[0]}": points, "action": "confirm"}
    )
    assert answer.status_code == 422
    assert message in answer.text and 'class="error' in answer.text
    assert _ballots(db) == 0


def test_a_knapsack_ballot_over_the_budget_is_refused_and_one_within_it_cast(client, db):
    ra_id, item_ids, codes = _round_of(db, ballot_type=BallotType.KNAPSACK, max_choices=None)
    client.post("/stem", data={"code": codes[0]})
    over = client.post(f"/stemmen/gebied/{ra_id}", data={"item": item_ids, "action": "confirm"})
    assert over.status_code == 422 and _ballots(db) == 0
    within = client.post(
        f"/stemmen/gebied/{ra_id}", data={"item": item_ids[:2], "action": "confirm"}
    )
    assert within.status_code == 302
    assert [b.choices for b in opened_ballots(db)] == [{item_ids[0]: 1, item_ids[1]: 1}]
