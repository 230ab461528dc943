"""The council's evaluation pack: turnout against inhabitants, bands with small cells hidden."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from buurtbegroting.models import Role
from buurtbegroting.rounds import closing, services
from tests.factories import make_user
from tests.factories.plans import make_indicator, make_plan
from tests.factories.rounds import issue_codes, make_round, make_voter, put_on_ballot


@pytest.fixture()
def pack_round(db):
    round_ = make_round(phase="voting", max_choices=3, tie_break="listed")
    ra = round_.areas[0]
    make_indicator(ra.area, name="Inwoners", value=400.0, unit="", year=2026)
    plan = make_plan(ra.area, spearheads=("Groen en spelen", "Verkeersveiligheid"))
    a, b = put_on_ballot(ra, [600_000, 300_000])
    a.idea.spearheads = [plan.spearheads[0]]
    for text in issue_codes(ra, 5):
        services.cast_ballot(ra, {a.id: 1}, code=services.find_code(round_, text))
    for text in issue_codes(ra, 2):
        services.cast_ballot(ra, {b.id: 1}, code=services.find_code(round_, text), is_paper=True)
    for i in range(12):  # aged 45-46 when voting closes: band 45-64
        voter = make_voter(ra.area, birth_date=date(1981, 1, 1 + i))
        services.cast_ballot(ra, {a.id: 1, b.id: 1}, user=voter)
    for i in range(3):  # aged 70: a cell of 3, hidden
        voter = make_voter(ra.area, birth_date=date(1956, 1, 1 + i))
        services.cast_ballot(ra, {b.id: 1}, user=voter)
    closing.close_round(round_, make_user(role=Role.ADMIN), "Test")
    db.session.commit()
    return {"round": round_, "ra": ra, "items": (a, b)}


def test_pack_page_shows_turnout_bands_money_stages_and_register_text(client, pack_round):
    round_ = pack_round["round"]
    page = client.get(f"/rondes/{round_.id}/evaluatie").get_data(as_text=True)
    # 22 ballots against 400 inhabitants: 5.5 %.
    assert "5,5%" in page
    assert '45–64</th><td class="num">12</td>' in page
    assert '65+</th><td class="num"><abbr' in page  # 3 voters: not shown
    # 5 code voters are hidden, and so are the 15 account voters (online total 20 is public).
    way = page.split("Manier van stemmen", 1)[1].split("Leeftijd van de stemmers", 1)[0]
    assert way.count("&lt; 10") == 2 and ">15<" not in way
    assert "Groen en spelen" in page
    assert "Ingediend" in page and "Op het stembiljet" in page
    assert "Dan gaat het idee voor dat eerst op het stembiljet staat." in page
    assert "python -m buurtbegroting.tally FILE.pb --tie-break listed" in page
    assert f"/rondes/{round_.id}/uitslag/{pack_round['ra'].id}.pb" in page


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        ("nl", ("Opkomst per buurt", "Tekst voor het algoritmeregister", "Leeftijd")),
        ("en", ("Turnout per neighbourhood", "Text for the algorithm register", "Age")),
    ],
)
def test_pack_pdf_reads_back_in_both_languages(client, pack_round, lang, phrases):
    answer = client.get(
        f"/rondes/{pack_round['round'].id}/evaluatie.pdf", headers={"Accept-Language": lang}
    )
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)
    for phrase in phrases:
        assert phrase in text
    assert pack_round["ra"].area.name in text and "< 10" in text


def test_no_pack_before_the_results_are_published(client, db):
    round_ = make_round(phase="voting")
    db.session.commit()
    assert client.get(f"/rondes/{round_.id}/evaluatie").status_code == 404
    assert client.get(f"/rondes/{round_.id}/evaluatie.pdf").status_code == 404
