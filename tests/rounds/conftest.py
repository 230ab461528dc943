"""Fixtures shared by the round tests."""

import pytest

from tests.factories.rounds import issue_codes, make_round, put_on_ballot


@pytest.fixture()
def voting(db):
    """A round in its voting phase: one area, three ideas (€ 4,000, 3,000, 2,000), three codes."""
    round_ = make_round(max_choices=2)
    ra = round_.areas[0]
    made = {"round": round_, "ra": ra, "items": put_on_ballot(ra, [400_000, 300_000, 200_000])}
    made["codes"] = issue_codes(ra, 3)
    db.session.commit()
    return made
