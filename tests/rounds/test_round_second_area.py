"""Own area plus one chosen area (Decidim #5711): two separate ballots at most, also at once."""

from functools import partial

import pytest
from sqlalchemy import func, select

from buurtbegroting.domain.codes import normalize_code
from buurtbegroting.extensions import db as _db
from buurtbegroting.models import (
    BudgetRound,
    CodeStatus,
    Role,
    RoundVoter,
    SealedBallot,
    SecondAreaVoter,
    VotingCode,
)
from buurtbegroting.rounds import closing, services
from tests.ballots import opened_ballots
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.rounds import issue_codes, make_round, make_voter, put_on_ballot
from tests.races import run_at_once


@pytest.fixture()
def three_areas(db):
    """A round with the setting on: three areas with two ideas each, codes in the first."""
    district = make_district()
    areas = [(make_neighbourhood(district, postcodes=()), 1_000_000) for _ in range(3)]
    round_ = make_round(areas, allows_second_area=True, max_choices=2)
    items = [put_on_ballot(ra, [400_000, 300_000]) for ra in round_.areas]
    codes = issue_codes(round_.areas[0], 2)
    db.session.commit()
    return {"round": round_, "ras": list(round_.areas), "items": items, "codes": codes}


def _ballots(db, ra=None):
    query = select(func.count(SealedBallot.id))
    if ra is not None:
        query = query.where(SealedBallot.round_area_id == ra.id)
    return db.session.scalar(query)


def _code(db, made, n=0):
    return services.find_code(made["round"], made["codes"][n])


def test_a_code_votes_at_home_then_in_one_other_area(app, db, three_areas):
    home, other, third = three_areas["ras"]
    items = three_areas["items"]
    code = _code(db, three_areas)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(services.VoteRefused, match="own area first"):
            services.cast_ballot(other, {items[1][0].id: 1}, code=code)
        db.session.rollback()
        services.cast_ballot(home, {items[0][0].id: 1}, code=code)
        db.session.commit()
        services.cast_ballot(other, {items[1][1].id: 1}, code=code)
        db.session.commit()
        for area, item in ((third, items[2][0]), (other, items[1][0])):
            with pytest.raises(services.VoteRefused, match="one other area of this round"):
                services.cast_ballot(area, {item.id: 1}, code=code)
            db.session.rollback()
        with pytest.raises(services.VoteRefused, match="already been used"):
            services.cast_ballot(home, {items[0][1].id: 1}, code=code)
        db.session.rollback()
    stored = db.session.get(VotingCode, code.id)
    assert stored.status == CodeStatus.USED and stored.second_round_area_id == other.id
    assert [_ballots(db, ra) for ra in (home, other, third)] == [1, 1, 0]
    assert [b.choices for b in opened_ballots(db, other)] == [{items[1][1].id: 1}]


def test_without_the_setting_a_code_stays_in_its_area(app, db):
    district = make_district()
    round_ = make_round([(make_neighbourhood(district, postcodes=()), 1000) for _ in range(2)])
    home, other = round_.areas
    home_item = put_on_ballot(home, [500])[0]
    other_item = put_on_ballot(other, [500])[0]
    code = services.find_code(round_, issue_codes(home, 1)[0])
    db.session.commit()
    services.cast_ballot(home, {home_item.id: 1}, code=code)
    db.session.commit()
    with pytest.raises(services.VoteRefused, match="ander gebied"):
        services.cast_ballot(other, {other_item.id: 1}, code=code)
    db.session.rollback()
    assert _ballots(db) == 1 and db.session.get(VotingCode, code.id).second_round_area_id is None


def test_an_account_votes_at_home_then_in_one_other_area(app, db, three_areas):
    home, other, third = three_areas["ras"]
    items = three_areas["items"]
    voter = make_voter(home.area)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(services.VoteRefused, match="own area first"):
            services.cast_ballot(other, {items[1][0].id: 1}, user=voter)
        db.session.rollback()
        services.cast_ballot(home, {items[0][0].id: 1}, user=voter)
        db.session.commit()
        services.cast_ballot(other, {items[1][0].id: 1}, user=voter)
        db.session.commit()
        for area, item in ((third, items[2][0]), (other, items[1][1])):
            with pytest.raises(services.VoteRefused, match="one other area of this round"):
                services.cast_ballot(area, {item.id: 1}, user=voter)
            db.session.rollback()
    round_id = three_areas["round"].id
    assert db.session.get(SecondAreaVoter, (round_id, voter.id)).round_area_id == other.id
    voted = db.session.scalars(
        select(RoundVoter.round_area_id).where(RoundVoter.user_id == voter.id)
    )
    assert sorted(voted) == sorted([home.id, other.id])
    assert [_ballots(db, ra) for ra in (home, other, third)] == [1, 1, 0]


def test_each_ballot_is_counted_in_its_own_area_at_closing(app, db, three_areas):
    home, other, third = three_areas["ras"]
    items = three_areas["items"]
    voter = make_voter(home.area)
    db.session.commit()
    for n in (0, 1):
        code = _code(db, three_areas, n)
        services.cast_ballot(home, {items[0][1].id: 1}, code=code)
        services.cast_ballot((other, third)[n], {items[(1, 2)[n]][0].id: 1}, code=code)
        db.session.commit()
    services.cast_ballot(home, {items[0][0].id: 1}, user=voter)
    services.cast_ballot(third, {items[2][1].id: 1}, user=voter)
    db.session.commit()
    closing.close_round(three_areas["round"], make_user(role=Role.ADMIN), "Test")
    db.session.commit()
    for ra in (home, other, third):
        db.session.refresh(ra)
    assert [ra.ballot_count for ra in (home, other, third)] == [3, 1, 2]


@pytest.mark.parametrize("who", ["code", "account"])
def test_ten_simultaneous_second_ballots_make_one(app, db, three_areas, who):
    home, *others = three_areas["ras"]
    items = three_areas["items"]
    round_id = three_areas["round"].id
    voter = make_voter(home.area)
    db.session.commit()
    user_id = voter.id
    if who == "code":
        services.cast_ballot(home, {items[0][0].id: 1}, code=_code(db, three_areas))
    else:
        services.cast_ballot(home, {items[0][0].id: 1}, user=voter)
    db.session.commit()
    code_text = three_areas["codes"][0]

    def attempt(ra_id, item_id):
        from buurtbegroting.models import User

        ra = services.area_by_id(ra_id)
        if who == "code":
            code = services.code_by_hash(services.voting_code_hash(normalize_code(code_text)))
            services.cast_ballot(ra, {item_id: 1}, code=code)
        else:
            services.cast_ballot(ra, {item_id: 1}, user=_db.session.get(User, user_id))

    targets = [(others[n % 2].id, items[1 + n % 2][0].id) for n in range(10)]
    outcomes = run_at_once(
        app, [partial(attempt, *target) for target in targets], services.VoteRefused
    )
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("refused") == 9, outcomes
    db.session.expire_all()
    assert _ballots(db) == 2
    assert sum(_ballots(db, ra) for ra in others) == 1
    if who == "account":
        assert db.session.scalar(select(func.count()).select_from(SecondAreaVoter)) == 1
        assert db.session.get(BudgetRound, round_id).allows_second_area


def _vote(client, ra, item):
    done = client.post(f"/stemmen/gebied/{ra.id}", data={"item": [item.id], "action": "confirm"})
    assert done.status_code == 302, done.get_data(as_text=True)
    return client.get(done.headers["Location"]).get_data(as_text=True)


def test_pages_code_votes_home_then_the_offered_other_area(client, db, three_areas):
    home, other, third = three_areas["ras"]
    items = three_areas["items"]
    round_id = three_areas["round"].id
    url = f"/stemmen/{round_id}/ander-gebied"
    assert client.get(url).status_code == 403  # not voted at home in this visit
    client.post("/stem", data={"code": three_areas["codes"][0]})
    assert client.get(f"/stemmen/gebied/{other.id}").status_code == 403  # not chosen yet
    receipt = _vote(client, home, items[0][0])
    assert "Bedankt voor uw stem" in receipt and url in receipt
    page = client.get(url).get_data(as_text=True)
    assert f'value="{other.id}"' in page and f'value="{home.id}"' not in page
    for bad in ("", "abc", str(home.id), "999999", "-1"):
        response = client.post(url, data={"round_area_id": bad})
        assert response.status_code == 422, bad
        assert "error" in response.get_data(as_text=True)
    chosen = client.post(url, data={"round_area_id": other.id})
    assert chosen.headers["Location"].endswith(f"/stemmen/gebied/{other.id}")
    assert client.get(f"/stemmen/gebied/{third.id}").status_code == 403
    receipt = _vote(client, other, items[1][0])
    assert "Bedankt voor uw stem" in receipt and url not in receipt
    again = client.get(url)
    assert again.status_code == 409 and "al in een ander gebied" in again.get_data(as_text=True)
    assert [_ballots(db, ra) for ra in (home, other, third)] == [1, 1, 0]


def test_pages_account_votes_home_then_one_other_area_in_english(client, db, login, three_areas):
    home, other, third = three_areas["ras"]
    items = three_areas["items"]
    round_id = three_areas["round"].id
    login(make_voter(home.area, locale="en"))
    db.session.commit()
    assert client.get(f"/stemmen/{round_id}/account/{home.id}").status_code == 302
    done = client.post(
        f"/stemmen/gebied/{home.id}",
        data={"item": [items[0][1].id], "action": "confirm"},
    )
    receipt = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Vote in one other area" in receipt
    url = f"/stemmen/{round_id}/ander-gebied"
    assert client.post(url, data={"round_area_id": third.id}).status_code == 302
    _vote(client, third, items[2][1])
    again = client.get(url)
    assert again.status_code == 409 and "two areas at most" in again.get_data(as_text=True)
    assert [_ballots(db, ra) for ra in (home, other, third)] == [1, 0, 1]


def test_pages_without_the_setting_offer_nothing(client, db, voting):
    round_id = voting["round"].id
    client.post("/stem", data={"code": voting["codes"][0]})
    receipt = _vote(client, voting["ra"], voting["items"][0])
    assert "ander-gebied" not in receipt
    assert client.get(f"/stemmen/{round_id}/ander-gebied").status_code == 404
    assert (
        client.post(f"/stemmen/{round_id}/ander-gebied", data={"round_area_id": "1"}).status_code
        == 404
    )
