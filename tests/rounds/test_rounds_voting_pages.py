"""Voting on a phone: code link or typed code, ballot, review, receipt; bad input changes nothing."""

import pytest
from sqlalchemy import func, select

from buurtbegroting.domain.codes import format_code
from buurtbegroting.models import BallotType, CodeStatus, SealedBallot, VotingCode
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, make_voter, put_on_ballot


def _ballots(db):
    return db.session.scalar(select(func.count(SealedBallot.id)))


def test_code_link_ballot_review_confirm_receipt(client, db, voting):
    ra, items = voting["ra"], voting["items"]
    response = client.post("/stem", data={"code": voting["codes"][0]})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/stemmen/gebied/{ra.id}"
    )
    page = client.get(f"/stemmen/gebied/{ra.id}").get_data(as_text=True)
    assert "Plan A" in page and "Plan C" in page
    choice = {"item": [items[0].id, items[2].id]}
    review = client.post(f"/stemmen/gebied/{ra.id}", data={**choice, "action": "review"})
    assert review.status_code == 200
    text = review.get_data(as_text=True)
    assert "Bevestig uw stem" in text and "kunt u uw stem niet meer wijzigen" in text
    assert _ballots(db) == 0
    done = client.post(f"/stemmen/gebied/{ra.id}", data={**choice, "action": "confirm"})
    assert done.status_code == 302
    assert "Bedankt voor uw stem" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert _ballots(db) == 1
    assert (
        client.post(f"/stemmen/gebied/{ra.id}", data={**choice, "action": "confirm"}).status_code
        == 403
    )
    assert _ballots(db) == 1


def test_typed_code_in_any_case_with_spaces(client, db, voting):
    typed = format_code(voting["codes"][1]).lower().replace("-", " ")
    response = client.post(f"/stemmen/{voting['round'].id}", data={"code": typed})
    assert response.status_code == 302


@pytest.mark.parametrize("bad", ["ABCD-EFGH-JKMNP", "kort", "<script>", ""])
def test_bad_codes_get_a_clear_message(client, db, voting, bad):
    response = client.post(f"/stemmen/{voting['round'].id}", data={"code": bad})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "error" in page and "<script>" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"item": []}, "Kies minstens 1"),
        ({"item": ["A", "B"]}, "niet op dit stembiljet staat"),
        ("three", "Kies hoogstens 2"),
        ("foreign", "niet op dit stembiljet staat"),
    ],
)
def test_tampered_ballots_are_refused_and_change_nothing(client, db, voting, data, message):
    ra, items = voting["ra"], voting["items"]
    if data == "three":
        data = {"item": [i.id for i in items]}
    elif data == "foreign":
        other = make_round()
        data = {"item": [put_on_ballot(other.areas[0], [1000])[0].id]}
        db.session.commit()
    client.post("/stem", data={"code": voting["codes"][0]})
    response = client.post(f"/stemmen/gebied/{ra.id}", data={**data, "action": "confirm"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _ballots(db) == 0
    assert (
        db.session.scalar(
            select(VotingCode.status).where(VotingCode.round_area_id == ra.id).limit(1)
        )
        == CodeStatus.ISSUED
    )


def test_knapsack_meter_without_javascript_explains_what_is_over(client, db):
    round_ = make_round(ballot_type=BallotType.KNAPSACK)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [600_000, 500_000])
    code = issue_codes(ra, 1)[0]
    db.session.commit()
    client.post("/stem", data={"code": code})
    response = client.post(
        f"/stemmen/gebied/{ra.id}", data={"item": [items[0].id, items[1].id], "action": "check"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "11.000,00" in page and "1.000,00" in page and "boven het budget" in page
    ok = client.post(f"/stemmen/gebied/{ra.id}", data={"item": [items[0].id], "action": "check"})
    assert ok.status_code == 200 and "6.000,00" in ok.get_data(as_text=True)


def test_ballot_without_access_is_refused(client, db, voting):
    assert client.get(f"/stemmen/gebied/{voting['ra'].id}").status_code == 403


def test_a_code_of_a_closed_round_cannot_vote(client, db):
    round_ = make_round(phase="counting")
    put_on_ballot(round_.areas[0], [1000])
    code = issue_codes(round_.areas[0], 1)[0]
    db.session.commit()
    response = client.post("/stem", data={"code": code})
    assert response.status_code == 409
    assert "Stemmen is niet open" in response.get_data(as_text=True)


def test_account_voting_asks_birth_date_once_and_checks_residence(client, db, login, voting):
    ra = voting["ra"]
    voter = login(make_voter(ra.area, birth_date=None))
    db.session.commit()
    url = f"/stemmen/{voting['round'].id}/account/{ra.id}"
    assert "geboortedatum" in client.get(url).get_data(as_text=True).lower()
    bad = client.post(url, data={"birth_date": "2999-01-01"})
    assert bad.status_code == 422
    response = client.post(url, data={"birth_date": "1990-02-03"})
    assert response.status_code == 302
    db.session.refresh(voter)
    assert str(voter.birth_date) == "1990-02-03"
    client.post(
        f"/stemmen/gebied/{ra.id}", data={"item": [voting["items"][1].id], "action": "confirm"}
    )
    assert _ballots(db) == 1
    again = client.get(url)
    assert again.status_code == 403 and "al gestemd" in again.get_data(as_text=True)
    outsider = login(make_user(birth_date=None))
    db.session.commit()
    client.post(url, data={"birth_date": "1990-02-03"})
    assert client.get(url).status_code == 403
    assert outsider.area_id is None


def test_vote_counts_stay_hidden_until_closing(client, db, voting):
    client.post("/stem", data={"code": voting["codes"][0]})
    client.post(
        f"/stemmen/gebied/{voting['ra'].id}",
        data={"item": [voting["items"][0].id], "action": "confirm"},
    )
    page = client.get(f"/rondes/{voting['round'].id}").get_data(as_text=True)
    assert "stemmen tot nu toe" not in page
    assert client.get(f"/rondes/{voting['round'].id}/uitslag").status_code in (200, 404)
    assert (
        client.get(f"/rondes/{voting['round'].id}/uitslag/{voting['ra'].id}.csv").status_code == 404
    )
    assert (
        client.get(f"/rondes/{voting['round'].id}/uitslag/{voting['ra'].id}.pb").status_code == 404
    )


def test_live_counts_when_the_round_says_so(client, db, voting):
    voting["round"].show_live_results = True
    db.session.commit()
    client.post("/stem", data={"code": voting["codes"][0]})
    client.post(
        f"/stemmen/gebied/{voting['ra'].id}",
        data={"item": [voting["items"][0].id], "action": "confirm"},
    )
    assert "1 stemmen tot nu toe" in client.get(f"/rondes/{voting['round'].id}").get_data(
        as_text=True
    )


def test_guessing_codes_is_rate_limited(client, db, voting):
    codes = [
        client.post(f"/stemmen/{voting['round'].id}", data={"code": "ABCD-EFGH-JKMNP"}).status_code
        for _ in range(21)
    ]
    assert codes[:20] == [422] * 20 and codes[20] == 429


def test_the_guessing_limit_is_per_round(client, db, voting):
    other = make_round()
    put_on_ballot(other.areas[0], [1000])
    db.session.commit()
    for _ in range(20):
        client.post(f"/stemmen/{voting['round'].id}", data={"code": "ABCD-EFGH-JKMNP"})
    assert (
        client.post(f"/stemmen/{voting['round'].id}", data={"code": "ABCD-EFGH-JKMNP"}).status_code
        == 429
    )
    assert client.post(f"/stemmen/{other.id}", data={"code": "ABCD-EFGH-JKMNP"}).status_code == 422


def test_the_letter_link_keeps_the_code_out_of_the_request_line(app, client, db, voting):
    """The QR link is /stem#CODE: the path and query of every request hold no code."""
    from urllib.parse import urlsplit

    from buurtbegroting.rounds import codes

    with app.test_request_context():
        link = codes.vote_url_builder()(voting["codes"][0])
    parts = urlsplit(link)
    assert parts.path == "/stem" and parts.query == "" and parts.fragment == voting["codes"][0]
    page = client.get(parts.path)
    assert page.status_code == 200 and "code-link.js" in page.text
    assert 'method="post"' in page.text
    answer = client.post("/stem", data={"code": voting["codes"][0]})
    assert answer.status_code == 302
    assert voting["codes"][0] not in answer.headers["Location"]


@pytest.mark.parametrize(
    ("bad", "status", "message"),
    [
        ("", 422, "Typ de code uit uw brief"),
        ("ABCD-EFGH-JKMNP", 404, "We kennen deze code niet"),
        ("x" * 10_000, 422, "13 letters"),
        ("kort\r\nBcc: a@b.c", 404, "We kennen deze code niet"),
    ],
)
def test_bad_codes_on_the_letter_page_get_a_message_at_the_field(
    client, db, voting, bad, status, message
):
    response = client.post("/stem", data={"code": bad})
    assert response.status_code == status
    assert message in response.text and 'id="code-error"' in response.text


def test_links_of_older_letters_move_the_code_to_the_fragment(client, db, voting):
    code = voting["codes"][0]
    response = client.get(f"/stem/{code}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/stem#{code}")
    assert response.headers["Cache-Control"] == "no-store"
