"""Unfinished ballots kept on the device (session), and kiosk mode: a clean ballot for every voter."""

import time

from sqlalchemy import func, select

from buurtbegroting.models import AuditEntry, Role, SealedBallot
from buurtbegroting.rounds import kiosk
from tests.factories import make_user


def _checked(page: str) -> int:
    return page.count(" checked>")


def _as_kiosk(app, client, label="Bibliotheek", hours=2, now=None):
    with app.test_request_context():
        value = kiosk.cookie_value(label, hours, now=now)
    client.set_cookie(kiosk.COOKIE, value)


def test_choices_survive_until_confirming_and_are_gone_after(client, db, voting):
    ra, items = voting["ra"], voting["items"]
    assert client.post("/stem", data={"code": voting["codes"][0]}).status_code == 302
    choice = {"item": [items[0].id, items[2].id]}
    assert (
        client.post(f"/stemmen/gebied/{ra.id}", data={**choice, "action": "review"}).status_code
        == 200
    )
    # The voter leaves and comes back: the choices are still on the ballot.
    assert _checked(client.get(f"/stemmen/gebied/{ra.id}").get_data(as_text=True)) == 2
    done = client.post(f"/stemmen/gebied/{ra.id}", data={**choice, "action": "confirm"})
    assert done.status_code == 302
    with client.session_transaction() as session:
        assert str(ra.id) not in (session.get("ballot_draft") or {})


def test_choices_sent_after_the_access_ended_are_kept_for_the_next_start(client, db, voting):
    ra, items = voting["ra"], voting["items"]
    assert client.post("/stem", data={"code": voting["codes"][0]}).status_code == 302
    with client.session_transaction() as session:
        session.pop("ballot_access")
    answer = client.post(
        f"/stemmen/gebied/{ra.id}", data={"item": [items[1].id], "action": "review"}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(
        f"/stemmen/{voting['round'].id}"
    )
    assert db.session.scalar(select(func.count(SealedBallot.id))) == 0
    assert client.post("/stem", data={"code": voting["codes"][0]}).status_code == 302
    page = client.get(f"/stemmen/gebied/{ra.id}").get_data(as_text=True)
    assert _checked(page) == 1 and f'value="{items[1].id}" data-cost' in page


def test_an_administrator_marks_a_device_as_kiosk_and_stops_it(client, db, login):
    login(make_user(role=Role.ADMIN, email="beheer@oss.nl"))
    db.session.commit()
    page = client.get("/beheer/rondes/kiosk")
    assert page.status_code == 200
    for bad in (
        {"label": "", "hours": "2"},
        {"label": "Balie", "hours": "0"},
        {"label": "Balie", "hours": "x"},
        {"label": "a\nb", "hours": "2"},
        {"label": "x" * 10_000, "hours": "2"},
    ):
        assert client.post("/beheer/rondes/kiosk", data=bad).status_code == 422
    answer = client.post("/beheer/rondes/kiosk", data={"label": "Balie Ruwaard", "hours": "8"})
    assert answer.status_code == 302
    cookie = answer.headers.getlist("Set-Cookie")
    assert any(
        c.startswith(f"{kiosk.COOKIE}=") and "HttpOnly" in c and "Max-Age=28800" in c
        for c in cookie
    )
    assert "Balie Ruwaard" in client.get("/beheer/rondes/kiosk").get_data(as_text=True)
    stopped = client.post("/beheer/rondes/kiosk/stoppen")
    assert stopped.status_code == 302
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["kiosk.started", "kiosk.stopped"]


def test_only_administrators_set_a_kiosk(client, db, login):
    login(make_user(role=Role.COORDINATOR, email="coord@oss.nl"))
    db.session.commit()
    assert client.get("/beheer/rondes/kiosk").status_code == 403
    assert client.post("/beheer/rondes/kiosk/stoppen").status_code in (400, 403)


def test_a_forged_or_expired_kiosk_cookie_is_no_kiosk(app, client, voting):
    client.set_cookie(kiosk.COOKIE, "forged.value")
    assert "data-kiosk" not in client.get("/rondes").get_data(as_text=True)
    _as_kiosk(app, client, hours=1, now=time.time() - 7200)
    assert "data-kiosk" not in client.get("/rondes").get_data(as_text=True)
    _as_kiosk(app, client)
    page = client.get("/rondes")
    assert "data-kiosk" in page.get_data(as_text=True) and 'http-equiv="refresh"' in page.get_data(
        as_text=True
    )
    assert page.headers["Cache-Control"] == "no-store"


def test_on_a_kiosk_the_receipt_ends_everything_and_no_choice_is_kept(app, client, db, voting):
    _as_kiosk(app, client)
    ra, items = voting["ra"], voting["items"]
    assert client.post("/stem", data={"code": voting["codes"][0]}).status_code == 302
    choice = {"item": [items[0].id], "action": "review"}
    assert client.post(f"/stemmen/gebied/{ra.id}", data=choice).status_code == 200
    with client.session_transaction() as session:
        assert "ballot_draft" not in session
    done = client.post(f"/stemmen/gebied/{ra.id}", data={**choice, "action": "confirm"})
    receipt = client.get(done.headers["Location"])
    assert receipt.status_code == 200 and 'data-kiosk-seconds="30"' in receipt.get_data(
        as_text=True
    )
    with client.session_transaction() as session:
        assert dict(session) == {}
    # The next voter starts on a clean ballot.
    assert client.post("/stem", data={"code": voting["codes"][1]}).status_code == 302
    assert _checked(client.get(f"/stemmen/gebied/{ra.id}").get_data(as_text=True)) == 0


def test_a_kiosk_left_alone_for_two_minutes_forgets_the_voter(app, client, db, voting):
    _as_kiosk(app, client)
    ra = voting["ra"]
    assert client.post("/stem", data={"code": voting["codes"][0]}).status_code == 302
    assert client.get(f"/stemmen/gebied/{ra.id}").status_code == 200
    with client.session_transaction() as session:
        session["kiosk_seen"] = int(time.time()) - kiosk.IDLE_SECONDS - 5
    assert client.get(f"/stemmen/gebied/{ra.id}").status_code == 403
    # The restart link does the same at once.
    assert client.post("/stem", data={"code": voting["codes"][0]}).status_code == 302
    assert client.get("/kiosk/opnieuw").status_code == 302
    assert client.get(f"/stemmen/gebied/{ra.id}").status_code == 403
