"""Paper ballots: single entry counts at once; double entry counts only when both entries agree."""

from functools import partial

import pytest
from sqlalchemy import func, select

from buurtbegroting.models import (
    AuditEntry,
    BallotType,
    CodeStatus,
    PaperEntry,
    Role,
    SealedBallot,
    VotingCode,
)
from buurtbegroting.rounds import codes, services
from tests.ballots import opened_ballots
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, put_on_ballot
from tests.races import run_at_once


@pytest.fixture()
def voting(db):
    round_ = make_round(max_choices=2)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [100_000, 200_000, 300_000])
    plain = issue_codes(ra, 3)
    other = make_round()
    other_items = put_on_ballot(other.areas[0], [5_000])
    db.session.commit()
    return {"round": round_, "ra": ra, "items": items, "codes": plain, "other_items": other_items}


@pytest.fixture()
def admin(db, login):
    user = make_user(role=Role.ADMIN, email="teller1@oss.nl", locale="en")
    db.session.commit()
    return login(user)


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _single(round_id, ra_id):
    return f"/beheer/rondes/{round_id}/papier/{ra_id}"


def test_a_single_paper_ballot_counts_at_once(db, client, admin, voting):
    v = voting
    url = _single(v["round"].id, v["ra"].id)
    assert client.get(url).status_code == 200
    response = client.post(url, data={"items": [str(v["items"][0].id), str(v["items"][2].id)]})
    assert response.status_code == 302
    (ballot,) = opened_ballots(db)
    assert ballot.is_paper and sorted(ballot.choices) == sorted(
        [v["items"][0].id, v["items"][2].id]
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.paper_ballot"))
    assert entry.actor_id == admin.id and entry.after == {
        "area": v["ra"].area.code,
        "with_code": False,
    }


def test_a_code_on_a_paper_ballot_is_marked_used(db, client, admin, voting):
    v = voting
    url = _single(v["round"].id, v["ra"].id)
    response = client.post(
        url, data={"items": [str(v["items"][1].id)], "code": v["codes"][0].lower()}
    )
    assert response.status_code == 302
    used = db.session.scalar(
        select(VotingCode).where(VotingCode.code_hash == services.voting_code_hash(v["codes"][0]))
    )
    assert used.status == CodeStatus.USED
    again = client.post(url, data={"items": [str(v["items"][1].id)], "code": v["codes"][0]})
    assert again.status_code == 422 and 'id="code-error"' in again.text
    assert _count(db, SealedBallot) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ("foreign", "items", "Tick only ideas on this ballot"),
        ("none", "items", "at least 1"),
        ("three", "items", "at most 2"),
        ("rubbish", "items", "Tick only ideas on this ballot"),
        ("bad code", "code", "13 letters"),
        ("typo", "code", "typing error"),
        ("unknown code", "code", "do not know this code"),
    ],
)
def test_bad_paper_ballots_are_shown_at_the_field_and_change_nothing(
    db, client, admin, voting, data, field, message
):
    v = voting
    items = [str(v["items"][0].id)]
    code = ""
    if data == "foreign":
        items = [str(v["other_items"][0].id)]
    elif data == "none":
        items = []
    elif data == "three":
        items = [str(i.id) for i in v["items"]]
    elif data == "rubbish":
        items = ["abc"]
    elif data == "bad code":
        code = "ABC"
    elif data == "typo":
        code = v["codes"][1][:-1] + ("A" if v["codes"][1][-1] != "A" else "B")
    elif data == "unknown code":
        from buurtbegroting.domain.codes import generate_code

        code = generate_code()
    response = client.post(_single(v["round"].id, v["ra"].id), data={"items": items, "code": code})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    assert _count(db, SealedBallot) == 0
    assert _count(db, VotingCode, VotingCode.status == CodeStatus.USED) == 0


def test_a_code_of_another_area_is_refused_on_paper(db, client, admin, voting):
    v = voting
    other_round = make_round()
    items = put_on_ballot(other_round.areas[0], [1000])
    foreign = issue_codes(other_round.areas[0], 1)[0]
    db.session.commit()
    response = client.post(
        _single(v["round"].id, v["ra"].id), data={"items": [str(v["items"][0].id)], "code": foreign}
    )
    assert response.status_code == 422 and "another voting round" in response.text
    assert items and _count(db, SealedBallot) == 0


def test_cumulative_points_out_of_range_are_refused(db, client, admin):
    round_ = make_round(
        ballot_type=BallotType.CUMULATIVE, cumulative_points=5, cumulative_max_per_idea=3
    )
    ra = round_.areas[0]
    items = put_on_ballot(ra, [1000, 2000])
    db.session.commit()
    url = _single(round_.id, ra.id)
    for points, status in (("4", 422), ("-1", 422), ("twee", 422)):
        response = client.post(url, data={f"points_{items[0].id}": points})
        assert response.status_code == status, points
        assert f'id="points_{items[0].id}-error"' in response.text
    too_many = client.post(url, data={f"points_{items[0].id}": "3", f"points_{items[1].id}": "3"})
    assert too_many.status_code == 422 and "5 points in total" in too_many.text
    assert _count(db, SealedBallot) == 0
    ok = client.post(url, data={f"points_{items[0].id}": "3", f"points_{items[1].id}": ""})
    assert ok.status_code == 302
    assert [b.choices for b in opened_ballots(db)] == [{items[0].id: 3}]


def test_paper_ballots_wait_for_voting(db, client, admin):
    round_ = make_round(phase="review")
    items = put_on_ballot(round_.areas[0], [1000])
    db.session.commit()
    response = client.post(
        _single(round_.id, round_.areas[0].id), data={"items": [str(items[0].id)]}
    )
    assert response.status_code == 422 and _count(db, SealedBallot) == 0


# --- double entry ------------------------------------------------------------------------


def _entry(round_id, ra_id, batch, entry):
    return f"/beheer/rondes/{round_id}/papier/{ra_id}/reeks/{batch}/{entry}"


def test_double_entry_counts_only_when_both_agree(app, db, client, login, admin, voting):
    v = voting
    r, ra, items = v["round"], v["ra"], v["items"]
    second = make_user(role=Role.ADMIN, email="teller2@oss.nl", locale="en")
    db.session.commit()
    start = client.post(
        f"/beheer/rondes/{r.id}/papier/reeks", data={"round_area_id": ra.id, "batch": "Stembus 1"}
    )
    assert start.status_code == 302 and start.headers["Location"].endswith("/reeks/Stembus%201/1")
    first_url = _entry(r.id, ra.id, "Stembus 1", 1)
    assert client.get(first_url).status_code == 200
    for data in (
        {"items": [str(items[0].id)], "code": v["codes"][0]},
        {"items": [str(items[1].id), str(items[2].id)]},
        {"items": [str(items[2].id)]},
    ):
        assert client.post(first_url, data=data).status_code == 302
    assert _count(db, PaperEntry) == 3 and _count(db, SealedBallot) == 0

    # The first typist may not type the second entry.
    second_url = _entry(r.id, ra.id, "Stembus 1", 2)
    refused = client.post(second_url, data={"items": [str(items[0].id)]})
    assert refused.status_code == 422 and "Someone else must type this one" in refused.text
    assert _count(db, PaperEntry) == 3

    login(second)
    for data in (
        {"items": [str(items[0].id)], "code": v["codes"][0]},
        {"items": [str(items[1].id)]},  # differs from the first entry
    ):
        assert client.post(second_url, data=data).status_code == 302
    compare_url = f"/beheer/rondes/{r.id}/papier/{ra.id}/reeks/Stembus 1"
    page = client.get(compare_url)
    assert page.status_code == 200
    assert page.text.count('class="paper-row-differ"') == 2  # position 2 differs, 3 is missing
    assert "Count this batch" not in page.text
    save_url = compare_url + "/opslaan"
    refused = client.post(save_url)
    assert refused.status_code == 422 and "Both people must type every ballot" in refused.text
    # The other person's rows cannot be changed by this one.
    assert (
        client.post(
            _entry(r.id, ra.id, "Stembus 1", 1) + "/2", data={"items": [str(items[1].id)]}
        ).status_code
        == 422
    )

    # The second person corrects position 2 and types position 3.
    fixed = client.post(second_url + "/2", data={"items": [str(items[1].id), str(items[2].id)]})
    assert fixed.status_code == 302
    assert client.post(second_url, data={"items": [str(items[2].id)]}).status_code == 302
    page = client.get(compare_url)
    assert 'class="paper-row-differ"' not in page.text and "Count this batch" in page.text
    assert _count(db, SealedBallot) == 0

    saved = client.post(save_url)
    assert saved.status_code == 302
    assert [b.is_paper for b in opened_ballots(db)] == [True] * 3
    assert _count(db, PaperEntry) == 0
    code = db.session.scalar(
        select(VotingCode).where(VotingCode.code_hash == services.voting_code_hash(v["codes"][0]))
    )
    assert code.status == CodeStatus.USED
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "round.paper_batch_saved")
    )
    assert entry.summary == "Stembus 1" and entry.after["ballots"] == 3
    assert entry.actor_id == second.id

    # The name cannot be used again in this round, not even in other capitals.
    again = client.post(
        f"/beheer/rondes/{r.id}/papier/reeks", data={"round_area_id": ra.id, "batch": "stembus 1"}
    )
    assert again.status_code == 422 and 'id="batch-error"' in again.text


def test_a_batch_with_a_code_used_meanwhile_is_not_counted_at_all(app, db, voting):
    v = voting
    r, ra, items = v["round"], v["ra"], v["items"]
    one = make_user(role=Role.ADMIN)
    two = make_user(role=Role.ADMIN)
    db.session.commit()
    for who in (1, 2):
        actor = one if who == 1 else two
        codes.add_paper_entry(ra, "B", who, {items[0].id: 1}, None, actor)
        codes.add_paper_entry(ra, "B", who, {items[1].id: 1}, v["codes"][1], actor)
    db.session.commit()
    services.cast_ballot(ra, {items[2].id: 1}, code=services.find_code(r, v["codes"][1]))
    db.session.commit()
    with pytest.raises(codes.CodesRefused) as refused:
        codes.save_batch(ra, "B", one)
    assert "2" in str(refused.value.messages[0])
    db.session.rollback()
    assert _count(db, SealedBallot) == 1 and _count(db, PaperEntry) == 4


def test_batch_names_and_typists_are_checked(app, db, voting):
    v = voting
    r, ra, items = v["round"], v["ra"], v["items"]
    one = make_user(role=Role.ADMIN)
    three = make_user(role=Role.ADMIN)
    db.session.commit()
    for bad in ("", "a/b", "x" * 61):
        with pytest.raises(codes.CodesRefused):
            codes.check_batch_name(r, bad)
    assert codes.check_batch_name(r, "  Stembus   2 ") == "Stembus 2"
    with pytest.raises(codes.CodesRefused):
        codes.add_paper_entry(ra, "C", 2, {items[0].id: 1}, None, one)  # entry 1 first
    codes.add_paper_entry(ra, "C", 1, {items[0].id: 1}, None, one)
    db.session.commit()
    with pytest.raises(codes.CodesRefused):
        codes.check_batch_name(r, "c")
    with pytest.raises(codes.CodesRefused):
        codes.add_paper_entry(ra, "C", 1, {items[0].id: 1}, None, three)  # someone else's entry
    with pytest.raises(codes.CodesRefused):
        codes.add_paper_entry(ra, "C", 2, {items[0].id: 1}, None, one)  # same person twice
    with pytest.raises(codes.CodesRefused):
        codes.add_paper_entry(ra, "C", 1, {v["other_items"][0].id: 1}, None, one)
    assert _count(db, PaperEntry) == 1


def test_removing_a_typed_ballot_moves_the_later_ones_up(app, db, voting):
    v = voting
    ra, items = v["ra"], v["items"]
    one = make_user(role=Role.ADMIN)
    db.session.commit()
    for item in items:
        codes.add_paper_entry(ra, "D", 1, {item.id: 1}, None, one)
    db.session.commit()
    row = codes.batch_entries(ra, "D")[1][0]
    codes.remove_paper_entry(row, one)
    db.session.commit()
    rows = codes.batch_entries(ra, "D")[1]
    assert [(r.position, r.choices) for r in rows] == [
        (1, {str(items[1].id): 1}),
        (2, {str(items[2].id): 1}),
    ]


def test_a_discarded_batch_counts_nothing(db, client, admin, voting):
    v = voting
    ra = v["ra"]
    codes.add_paper_entry(ra, "E", 1, {v["items"][0].id: 1}, None, admin)
    db.session.commit()
    response = client.post(f"/beheer/rondes/{v['round'].id}/papier/{ra.id}/reeks/E/weggooien")
    assert response.status_code == 302
    assert _count(db, PaperEntry) == 0 and _count(db, SealedBallot) == 0
    assert _count(db, AuditEntry, AuditEntry.action == "round.paper_batch_discarded") == 1


def test_the_paper_page_lists_batches_in_progress(db, client, admin, voting):
    v = voting
    codes.add_paper_entry(v["ra"], "Stembus Ruwaard", 1, {v["items"][0].id: 1}, None, admin)
    db.session.commit()
    page = client.get(f"/beheer/rondes/{v['round'].id}/papier")
    assert page.status_code == 200
    assert "Stembus Ruwaard" in page.text and "(you)" in page.text


def test_two_people_saving_one_batch_at_once_count_it_once(app, db, voting):

    from buurtbegroting.extensions import db as _db
    from buurtbegroting.models import RoundArea

    v = voting
    ra, items = v["ra"], v["items"]
    one = make_user(role=Role.ADMIN)
    two = make_user(role=Role.ADMIN)
    db.session.commit()
    for who, actor in ((1, one), (2, two)):
        for item in items[:2]:
            codes.add_paper_entry(ra, "F", who, {item.id: 1}, None, actor)
    db.session.commit()
    ra_id, actor_ids = ra.id, (one.id, two.id)

    def attempt(actor_id):
        from buurtbegroting.models import User

        area = _db.session.get(RoundArea, ra_id)
        codes.save_batch(area, "F", _db.session.get(User, actor_id))

    outcomes = run_at_once(app, [partial(attempt, a) for a in actor_ids], codes.CodesRefused)
    assert sorted(outcomes) == ["ok", "refused"], outcomes
    db.session.expire_all()
    assert _count(db, SealedBallot) == 2 and _count(db, PaperEntry) == 0
