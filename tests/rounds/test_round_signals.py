"""Integrity signals: ballots per network prefix and day, shown to administrators only."""

from datetime import date

import pytest

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
