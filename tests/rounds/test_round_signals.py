"""Integrity signals: ballots per network prefix and day, shown to administrators only."""

from datetime import date

import pytest
from sqlalchemy import select

from buurtbegroting.models import NetworkSignal, Role
from buurtbegroting.rounds import codes, services
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, put_on_ballot


@pytest.fixture()
def admin(db, login):
    user = make_user(role=Role.ADMIN, locale="en")
    db.session.commit()
    return login(user)


def test_days_and_prefixes_above_the_threshold_most_first(app, db, client, admin):
    round_ = make_round()
    other = make_round()
    rows = [
        (round_, date(2027, 3, 1), "a" * 64, 25),
        (round_, date(2027, 3, 1), "b" * 64, 60),
        (round_, date(2027, 3, 1), "c" * 64, 20),  # at the threshold: not shown
        (round_, date(2027, 3, 2), "d" * 64, 21),
        (other, date(2027, 3, 2), "e" * 64, 99),  # another round
    ]
    for r, day, prefix, n in rows:
        db.session.add(NetworkSignal(round_id=r.id, day=day, prefix_hash=prefix, ballots=n))
    db.session.commit()
    days = codes.network_signals(round_, 20)
    assert [(d.day, d.prefixes) for d in days] == [
        (date(2027, 3, 2), [("dddddddd", 21)]),
        (date(2027, 3, 1), [("bbbbbbbb", 60), ("aaaaaaaa", 25)]),
    ]
    page = client.get(f"/beheer/rondes/{round_.id}/signalen")
    assert page.status_code == 200
    text = page.text
    assert text.index("dddddddd") < text.index("bbbbbbbb") < text.index("aaaaaaaa")
    assert "cccccccc" not in text and "eeeeeeee" not in text and "a" * 64 not in text
    assert "Nothing is blocked automatically" in text and "deleted when the round is closed" in text


def test_votes_from_one_network_show_up_without_blocking(app, db, client, admin):
    app.config["ROUND_SIGNAL_THRESHOLD"] = 2
    try:
        round_ = make_round()
        ra = round_.areas[0]
        items = put_on_ballot(ra, [1000])
        plain = issue_codes(ra, 4)
        db.session.commit()
        for i, text in enumerate(plain):
            code = services.find_code(round_, text)
            address = "192.0.2.10" if i < 3 else "198.51.100.7"
            services.cast_ballot(ra, {items[0].id: 1}, code=code, client_address=address)
            db.session.commit()
        page = client.get(f"/beheer/rondes/{round_.id}/signalen")
        days = codes.network_signals(round_, 2)
        assert len(days) == 1 and [n for _, n in days[0].prefixes] == [3]
        assert days[0].prefixes[0][0] in page.text
        assert "192.0.2" not in page.text
    finally:
        app.config["ROUND_SIGNAL_THRESHOLD"] = 20


def test_an_empty_signal_page_says_so(db, client, admin):
    round_ = make_round()
    db.session.commit()
    page = client.get(f"/beheer/rondes/{round_.id}/signalen")
    assert page.status_code == 200 and "No network sent more than 20 ballots" in page.text


def _vote_from(client, ra_id, item_id, code, address):
    extra = {"environ_base": {"REMOTE_ADDR": address}}
    assert client.post("/stem", data={"code": code}, **extra).status_code == 302
    done = client.post(
        f"/stemmen/gebied/{ra_id}", data={"item": [item_id], "action": "confirm"}, **extra
    )
    assert done.status_code == 302, done.status_code


def test_ballots_on_the_voting_pages_are_counted_per_network(app, db):
    round_ = make_round()
    ra = round_.areas[0]
    item_id = put_on_ballot(ra, [1000])[0].id
    plain = issue_codes(ra, 4)
    db.session.commit()
    ra_id, round_id = ra.id, round_.id
    for i, text in enumerate(plain):
        address = f"192.0.2.{10 + i}" if i < 3 else "2001:db8:1:2::7"
        _vote_from(app.test_client(), ra_id, item_id, text, address)
    counts = db.session.scalars(
        select(NetworkSignal.ballots).where(NetworkSignal.round_id == round_id)
    ).all()
    assert sorted(counts) == [1, 3]


def test_counting_a_network_hands_its_connection_back_for_transactions(app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: the count there is the driver's own autocommit statement")
    round_ = make_round()
    db.session.commit()
    round_id = round_.id
    db.session.close()
    db.engine.dispose()  # the pool now holds only the connection the count uses
    services.record_network(round_id, "192.0.2.1", own_transaction=True)
    with db.engine.connect() as connection:
        assert connection.connection.driver_connection.autocommit is False
        connection.execute(
            NetworkSignal.__table__.insert(),
            {"round_id": round_id, "day": date(2027, 1, 1), "prefix_hash": "f" * 64, "ballots": 1},
        )
        connection.rollback()
    rows = db.session.execute(
        select(NetworkSignal.prefix_hash, NetworkSignal.ballots).where(
            NetworkSignal.round_id == round_id
        )
    ).all()
    assert len(rows) == 1 and rows[0].ballots == 1 and rows[0].prefix_hash != "f" * 64
