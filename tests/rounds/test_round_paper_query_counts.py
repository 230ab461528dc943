"""The paper-ballot pages run a fixed number of queries: 5 batches or ballots cost as many as 50."""

from __future__ import annotations

from buurtbegroting.models import Role
from buurtbegroting.rounds import codes
from tests.factories import make_user
from tests.factories.rounds import make_round, put_on_ballot


def _statements(client, count_queries, path):
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_paper_page_costs_the_same_for_5_and_50_batches(client, db, login, count_queries):
    admin = login(make_user(role=Role.ADMIN))
    round_ = make_round()
    ra = round_.areas[0]
    item = put_on_ballot(ra, [100_000])[0]
    db.session.commit()

    def batches(start, n):
        for i in range(start, start + n):
            codes.add_paper_entry(ra, f"Stembus {i}", 1, {item.id: 1}, None, admin)
        db.session.commit()

    batches(0, 5)
    five = _statements(client, count_queries, f"/beheer/rondes/{round_.id}/papier")
    batches(5, 45)
    assert _statements(client, count_queries, f"/beheer/rondes/{round_.id}/papier") == five


def test_batch_comparison_costs_the_same_for_5_and_50_ballots(client, db, login, count_queries):
    admin = login(make_user(role=Role.ADMIN))
    round_ = make_round()
    ra = round_.areas[0]
    item = put_on_ballot(ra, [100_000])[0]
    db.session.commit()
    path = f"/beheer/rondes/{round_.id}/papier/{ra.id}/reeks/Stembus"

    def ballots(n):
        for _ in range(n):
            codes.add_paper_entry(ra, "Stembus", 1, {item.id: 1}, None, admin)
        db.session.commit()

    ballots(5)
    five = _statements(client, count_queries, path)
    ballots(45)
    assert _statements(client, count_queries, path) == five
