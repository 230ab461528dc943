"""Receipt numbers: shown once after voting, sealed in the envelope, published sorted at closing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from buurtbegroting.domain.receipts import InvalidReceipt, new_receipt, normalize_receipt
from buurtbegroting.models import BallotStart, OutboxMessage, Role
from buurtbegroting.rounds import closing
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, make_voter, put_on_ballot


@pytest.fixture()
def voting(db):
    round_ = make_round(max_choices=2)
    ra = round_.areas[0]
    items = put_on_ballot(ra, [400_000, 300_000])
    codes = issue_codes(ra, 3)
    admin = make_user(role=Role.ADMIN, email="beheer@oss.nl")
    db.session.commit()
    return {"round": round_, "ra": ra, "items": items, "codes": codes, "admin": admin}


def _vote(app, voting, code) -> str:
    client = app.test_client()
    ra = voting["ra"]
    assert client.post("/stem", data={"code": code}).status_code == 302
    done = client.post(
        f"/stemmen/gebied/{ra.id}", data={"item": [voting["items"][0].id], "action": "confirm"}
    )
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    with client.session_transaction() as session:
        number = session["ballot_receipt"]["number"]
    assert number in page and "ontvangstnummer" in page.lower()
    return number


def test_receipt_numbers_are_random_and_typed_back_in_any_form():
    numbers = {new_receipt() for _ in range(200)}
    assert len(numbers) == 200
    number = numbers.pop()
    assert normalize_receipt(number.lower().replace("-", " ")) == number
    for bad in ["", "ABCD", "OOOO-1111-IIII", number + "X"]:
        with pytest.raises(InvalidReceipt):
            normalize_receipt(bad)


def test_receipt_number_is_counted_after_closing(app, db, client, voting):
    mine = _vote(app, voting, voting["codes"][0])
    other = _vote(app, voting, voting["codes"][1])
    round_id = voting["round"].id
    page = client.get(f"/rondes/{round_id}/ontvangstnummer?number={mine}")
    assert page.status_code == 200 and "nog niet gepubliceerd" in page.get_data(as_text=True)
    closing.close_round(voting["round"], voting["admin"], "Test van ontvangstnummers")
    db.session.commit()
    page = client.get(f"/rondes/{round_id}/ontvangstnummer?number={mine.lower()}")
    assert page.status_code == 200 and "Geteld" in page.get_data(as_text=True)
    unknown = "2222-2222-2222"
    page = client.get(
        f"/rondes/{round_id}/ontvangstnummer?number={unknown}", headers={"Accept-Language": "en"}
    )
    assert "Not found" in page.get_data(as_text=True)
    listing = client.get(f"/rondes/{round_id}/uitslag/{voting['ra'].id}-ontvangstnummers.txt")
    assert listing.status_code == 200
    assert listing.get_data(as_text=True).split() == sorted([mine, other])
    results = client.get(f"/rondes/{round_id}/uitslag").get_data(as_text=True)
    assert "ontvangstnummers.txt" in results


@pytest.mark.parametrize("bad", ["", "   ", "x" * 10_000, "OOOO-IIII-LLLL", "<script>", "\x00\n"])
def test_a_bad_receipt_number_gets_a_message_at_the_field(client, voting, bad):
    page = client.get(f"/rondes/{voting['round'].id}/ontvangstnummer", query_string={"number": bad})
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.get_data(as_text=True)


def test_the_receipt_list_is_not_published_before_closing(client, voting):
    assert (
        client.get(
            f"/rondes/{voting['round'].id}/uitslag/{voting['ra'].id}-ontvangstnummers.txt"
        ).status_code
        == 404
    )
    assert client.get("/rondes/999/ontvangstnummer").status_code == 404


def test_an_account_that_did_not_confirm_gets_one_reminder(app, db, runner, mailbox):
    round_ = make_round(voting_closes_at=datetime.now(UTC) + timedelta(hours=20))
    ra = round_.areas[0]
    items = put_on_ballot(ra, [1000])
    waiting = make_voter(ra.area, email="twijfel@oss.nl")
    done = make_voter(ra.area, email="klaar@oss.nl", locale="en")
    db.session.commit()
    for user in (waiting, done):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        assert client.get(f"/stemmen/{round_.id}/account/{ra.id}").status_code == 302
        if user is done:
            answer = client.post(
                f"/stemmen/gebied/{ra.id}", data={"item": [items[0].id], "action": "confirm"}
            )
            assert answer.status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(BallotStart)) == 2
    result = runner.invoke(args=["rounds", "remind-unfinished"])
    assert result.exit_code == 0 and "Reminders sent: 1" in result.output
    assert [m["to"] for m in mailbox.messages] == ["twijfel@oss.nl"]
    assert "nog niet bevestigd" in mailbox.last_to("twijfel@oss.nl")["subject"]
    again = runner.invoke(args=["rounds", "remind-unfinished"])
    assert "Reminders sent: 0" in again.output
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 1


def test_no_reminder_long_before_voting_closes(app, db, runner, mailbox):
    round_ = make_round()  # closes in 10 days
    ra = round_.areas[0]
    put_on_ballot(ra, [1000])
    user = make_voter(ra.area, email="vroeg@oss.nl")
    db.session.commit()
    from buurtbegroting.rounds.services import mark_started

    mark_started(round_, user)
    mark_started(round_, user)
    db.session.commit()
    assert "Reminders sent: 0" in runner.invoke(args=["rounds", "remind-unfinished"]).output
    assert mailbox.messages == []


def test_the_worker_routine_sends_the_unfinished_ballot_reminder(app, db, login, client, mailbox):
    from buurtbegroting.jobs.kinds.routines import run_routine
    from buurtbegroting.models import Job, JobState
    from buurtbegroting.rounds.services import mark_started

    round_ = make_round(voting_closes_at=datetime.now(UTC) + timedelta(hours=3))
    user = make_voter(round_.areas[0].area, email="later@oss.nl")
    mark_started(round_, user)
    db.session.commit()
    job = db.session.get(Job, run_routine("unfinished_ballot_reminders"))
    assert job.state == JobState.DONE
    assert [m["to"] for m in mailbox.messages] == ["later@oss.nl"]
    run_routine("unfinished_ballot_reminders")
    assert len(mailbox.messages) == 1
