"""The results page runs a fixed number of queries: 5 ideas on the ballot cost as many as 50."""

from __future__ import annotations

import re

from buurtbegroting.models import Role
from buurtbegroting.rounds import closing, services
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, put_on_ballot


def _closed_round(db, ideas: int):
    round_ = make_round(phase="voting", max_choices=3)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [10_000] * ideas)
    for text in issue_codes(ra, 3):
        code = services.find_code(round_, text)
        services.cast_ballot(ra, {item.id: 1 for item in items[:2]}, code=code)
    admin = make_user(role=Role.ADMIN)
    db.session.flush()
    closing.close_round(round_, admin, "Storing")
    db.session.commit()
    return round_


def test_results_page_costs_the_same_for_5_and_50_ideas(client, db, count_queries):
    def statements(round_):
        with count_queries() as sent:
            response = client.get(f"/rondes/{round_.id}/uitslag")
        assert response.status_code == 200
        assert "Plan A" in response.get_data(as_text=True)
        return len(sent)

    five = statements(_closed_round(db, 5))
    assert statements(_closed_round(db, 50)) == five


#: A statement that reads the text of an area's .pb file or receipt numbers (not "IS NOT NULL").
_LARGE_TEXT = re.compile(r"round_areas\.(pb_file|receipt_numbers)\b(?!\s+IS NOT NULL)")


def test_the_large_texts_of_a_closed_area_are_read_only_where_they_are_downloaded(
    client, db, count_queries
):
    round_ = _closed_round(db, 5)
    ra = round_.areas[0]
    codes_text = issue_codes(make_round(phase="voting").areas[0], 1)[0]
    db.session.commit()
    with count_queries() as sent:
        page = client.get(f"/rondes/{round_.id}/uitslag")
        services.code_by_hash(services.voting_code_hash(codes_text.replace("-", "")))
    assert page.status_code == 200
    assert f"/rondes/{round_.id}/uitslag/{ra.id}-ontvangstnummers.txt" in page.text
    assert sent and not [s for s in sent if _LARGE_TEXT.search(s)]
    with count_queries() as sent:
        pb = client.get(f"/rondes/{round_.id}/uitslag/{ra.id}.pb")
    assert pb.status_code == 200 and "PROJECTS" in pb.get_data(as_text=True)
    assert [s for s in sent if _LARGE_TEXT.search(s)]
