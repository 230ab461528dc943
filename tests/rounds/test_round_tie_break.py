"""A round that breaks ties by the order of its ballot: the recount file agrees."""

from __future__ import annotations

import pytest

from buurtbegroting.models import Role
from buurtbegroting.rounds import closing, services
from buurtbegroting.tally import parse_pb, tally
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, put_on_ballot


@pytest.mark.parametrize(("tie_break", "first"), [("listed", 0), ("lexicographic", 1)])
def test_a_tie_at_the_budget_boundary_goes_to_the_idea_listed_first(db, tie_break, first):
    round_ = make_round(phase="voting", tie_break=tie_break)
    ra = round_.areas[0]
    # Equal costs and votes; only one fits. The second idea is put first on the ballot, so
    # the ballot order and the idea numbers disagree.
    one, two = put_on_ballot(ra, [600_000, 600_000])
    one.position, two.position = 2, 1
    db.session.flush()
    db.session.expire(ra, ["items"])
    for text in issue_codes(ra, 3):
        code = services.find_code(round_, text)
        services.cast_ballot(ra, {one.id: 1, two.id: 1}, code=code)
    closing.close_round(round_, make_user(role=Role.ADMIN), "Test")
    db.session.commit()
    listed_first, by_number = two, min((one, two), key=lambda i: str(i.idea_id))
    winner = listed_first if first == 0 else by_number
    assert ra.result["selected"] == [str(winner.idea_id)]
    election = parse_pb(ra.pb_file)
    assert list(election.projects) == [str(two.idea_id), str(one.idea_id)]
    assert tally(election, tie_break=tie_break).selected == ra.result["selected"]
