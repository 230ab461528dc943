"""The paper-ballot pages run a fixed number of queries: 5 batches or ballots cost as many as 50."""

from __future__ import annotations

import pytest

from buurtbegroting.models import Role
from buurtbegroting.rounds import codes
from tests.factories import make_user
from tests.factories.rounds import make_round, put_on_ballot


@pytest.fixture()
def paper(db, login):
    """A round with one idea on the ballot, and an administrator who types paper ballots."""
    admin = login(make_user(role=Role.ADMIN))
    round_ = make_round()
    ra = round_.areas[0]
    item = put_on_ballot(ra, [100_000])[0]
    db.session.commit()

    def type_ballots(batches, per_batch=1):
        for batch in batches:
            for _ in range(per_batch):
                codes.add_paper_entry(ra, batch, 1, {item.id: 1}, None, admin)
        db.session.commit()

    return round_, ra, type_ballots


def _statements(client, count_queries, path):
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_paper_page_costs_the_same_for_5_and_50_batches(client, count_queries, paper):
    round_, _ra, type_ballots = paper
    path = f"/beheer/rondes/{round_.id}/papier"
    type_ballots([f"Stembus {i}" for i in range(5)])
    five = _statements(client, count_queries, path)
    type_ballots([f"Stembus {i}" for i in range(5, 50)])
    assert _statements(client, count_queries, path) == five


def test_batch_comparison_costs_the_same_for_5_and_50_ballots(client, count_queries, paper):
    round_, ra, type_ballots = paper
    path = f"/beheer/rondes/{round_.id}/papier/{ra.id}/reeks/Stembus"
    type_ballots(["Stembus"], per_batch=5)
    five = _statements(client, count_queries, path)
    type_ballots(["Stembus"], per_batch=45)
    assert _statements(client, count_queries, path) == five
