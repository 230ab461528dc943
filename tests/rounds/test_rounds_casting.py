"""Casting ballots: codes and accounts, validation, secrecy, and one ballot per voter."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db as _db
from buurtbegroting.models import (
    BallotType,
    CodeStatus,
    RoundVoter,
    SealedBallot,
    VotingCode,
)
from buurtbegroting.rounds import services
from tests.ballots import opened_ballots
from tests.factories import make_district, make_neighbourhood
from tests.factories.rounds import issue_codes, make_round, make_voter, put_on_ballot


@pytest.fixture()
def voting(db):
    round_ = make_round()
    ra = round_.areas[0]
    items = put_on_ballot(ra, [400_000, 300_000, 200_000, 100_000])
    codes = issue_codes(ra, 3)
    db.session.commit()
    return {"round": round_, "ra": ra, "items": items, "codes": codes}


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_code_votes_once_and_the_ballot_does_not_know_it(db, voting):
    code = services.find_code(voting["round"], voting["codes"][0].lower())
    ballot = services.cast_ballot(
        voting["ra"], {voting["items"][0].id: 1}, code=code, client_address="192.0.2.7"
    )
    db.session.commit()
    assert db.session.get(VotingCode, code.id).status == CodeStatus.USED
    columns = {c.key for c in inspect(SealedBallot).columns}
    assert columns == {"id", "round_area_id", "envelope", "pseudonym"}
    assert ballot.pseudonym is None and len(ballot.id) == 32
    assert b'{"c":' not in ballot.envelope and len(ballot.envelope) == 256 + 48
    (opened,) = opened_ballots(db)
    assert opened.cast_on == today_nl() and opened.choices == {voting["items"][0].id: 1}
    with pytest.raises(services.VoteRefused, match="al gestemd"):
        services.find_code(voting["round"], voting["codes"][0])


def test_codes_of_other_rounds_and_typing_errors_are_refused(db, voting):
    other = make_round()
    put_on_ballot(other.areas[0], [1000])
    foreign = issue_codes(other.areas[0], 1)[0]
    db.session.commit()
    for text in (
        foreign,
        voting["codes"][1][:-1] + ("A" if voting["codes"][1][-1] != "A" else "B"),
        "kort",
        "",
    ):
        with pytest.raises(services.VoteRefused):
            services.find_code(voting["round"], text)


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({}, "at least"),
        ("four", "at most"),
        ("negative", "whole numbers"),
        ("foreign", "not on this ballot"),
    ],
)
def test_invalid_ballots_change_nothing(app, db, voting, choices, message):
    items = voting["items"]
    if choices == "four":
        choices = {item.id: 1 for item in items}
    elif choices == "negative":
        choices = {items[0].id: -1}
    elif choices == "foreign":
        other = make_round()
        choices = {put_on_ballot(other.areas[0], [500])[0].id: 1}
        db.session.commit()
    code = services.find_code(voting["round"], voting["codes"][0])
    with (
        app.test_request_context(headers={"Accept-Language": "en"}),
        pytest.raises(services.VoteRefused) as refused,
    ):
        services.cast_ballot(voting["ra"], choices, code=code)
    assert message in str(refused.value.messages[0])
    db.session.rollback()
    assert _count(db, SealedBallot) == 0
    assert db.session.get(VotingCode, code.id).status == CodeStatus.ISSUED


def test_knapsack_refuses_over_budget_and_too_little(app, db):
    round_ = make_round(ballot_type=BallotType.KNAPSACK, knapsack_min_percent=50)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [600_000, 500_000, 100_000])
    code_text = issue_codes(ra, 1)[0]
    db.session.commit()
    code = services.find_code(round_, code_text)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(services.VoteRefused, match="more than the budget"):
            services.cast_ballot(ra, {items[0].id: 1, items[1].id: 1}, code=code)
        with pytest.raises(services.VoteRefused, match="at least 50"):
            services.cast_ballot(ra, {items[2].id: 1}, code=code)
        services.cast_ballot(ra, {items[0].id: 1, items[2].id: 1}, code=code)


def test_cumulative_points_limits(app, db):
    round_ = make_round(
        ballot_type=BallotType.CUMULATIVE, cumulative_points=5, cumulative_max_per_idea=3
    )
    ra = round_.areas[0]
    items = put_on_ballot(ra, [1000, 2000])
    code = services.find_code(round_, issue_codes(ra, 1)[0])
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(services.VoteRefused, match="at most 3 points"):
            services.cast_ballot(ra, {items[0].id: 4}, code=code)
        with pytest.raises(services.VoteRefused, match="5 points in total"):
            services.cast_ballot(ra, {items[0].id: 3, items[1].id: 3}, code=code)
        services.cast_ballot(ra, {items[0].id: 3, items[1].id: 2}, code=code)
    assert [b.choices for b in opened_ballots(db)] == [{items[0].id: 3, items[1].id: 2}]


def test_accounts_vote_once_in_their_own_area_when_old_enough(db, voting):
    ra = voting["ra"]
    resident = make_voter(ra.area)
    young = make_voter(ra.area, birth_date=date.today().replace(year=date.today().year - 10))
    outsider = make_voter(make_neighbourhood(make_district(), postcodes=()))
    no_birth_date = make_voter(ra.area, birth_date=None)
    db.session.commit()
    services.check_account(ra, resident)
    services.cast_ballot(ra, {voting["items"][1].id: 1}, user=resident)
    db.session.commit()
    assert db.session.get(RoundVoter, (ra.id, resident.id)) is not None
    for user, text in (
        (resident, "al gestemd"),
        (young, "minstens 12"),
        (outsider, "waar u woont"),
        (no_birth_date, "geboortedatum"),
    ):
        with pytest.raises(services.VoteRefused, match=text):
            services.check_account(ra, user)
    with pytest.raises(services.VoteRefused):
        services.cast_ballot(ra, {voting["items"][1].id: 1}, user=resident)


def test_changeable_ballots_use_a_pseudonym_not_the_account(db):
    round_ = make_round(allow_ballot_changes=True)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [1000, 2000])
    voter = make_voter(ra.area)
    db.session.commit()
    first = services.cast_ballot(ra, {items[0].id: 1}, user=voter)
    db.session.commit()
    second = services.cast_ballot(ra, {items[1].id: 1}, user=voter)
    db.session.commit()
    assert first.id == second.id and _count(db, SealedBallot) == 1
    assert [b.choices for b in opened_ballots(db)] == [{items[1].id: 1}]
    assert second.pseudonym not in (str(voter.id), voter.email) and len(second.pseudonym) == 64
    assert int(second.pseudonym, 16) >= 0


def test_voting_outside_the_voting_phase_is_refused(db):
    round_ = make_round(phase="review")
    ra = round_.areas[0]
    items = put_on_ballot(ra, [1000])
    code = services.find_code(round_, issue_codes(ra, 1)[0])
    db.session.commit()
    with pytest.raises(services.VoteRefused):
        services.cast_ballot(ra, {items[0].id: 1}, code=code)


def test_fifty_simultaneous_submissions_with_one_code_make_one_ballot(app, db, voting):
    code_text = voting["codes"][2]
    item_id = voting["items"][0].id
    ra_id, round_id = voting["ra"].id, voting["round"].id
    barrier = threading.Barrier(50)
    outcomes = []

    def attempt():
        with app.app_context():
            from buurtbegroting.models import BudgetRound

            barrier.wait(timeout=30)
            try:
                round_ = _db.session.get(BudgetRound, round_id)
                code = services.find_code(round_, code_text)
                ra = services.area_by_id(ra_id)
                services.cast_ballot(ra, {item_id: 1}, code=code)
                _db.session.commit()
                outcomes.append("ok")
            except services.VoteRefused:
                _db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001 - reported below
                _db.session.rollback()
                outcomes.append(repr(error))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("refused") == 49, outcomes
    db.session.expire_all()
    assert [b.choices for b in opened_ballots(db)] == [{item_id: 1}]
