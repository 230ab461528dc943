"""Logging out, a new password and blocking end every session of the account."""

from buurtbegroting.models import Role
from tests.factories import PASSWORD, make_user


def _log_in(client, email):
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client.get_cookie("session").value


def _copy(app, cookie):
    """Return a second browser that holds a copy of the session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    assert other.get("/account").status_code == 200
    return other


def _logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_logging_out_ends_a_copied_session_too(app, client, db):
    make_user(email="anna@example.nl")
    db.session.commit()
    copy = _copy(app, _log_in(client, "anna@example.nl"))
    client.post("/uitloggen")
    assert not _logged_in(client)
    assert not _logged_in(copy)


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, client, db):
    make_user(email="anna@example.nl")
    db.session.commit()
    copy = _copy(app, _log_in(client, "anna@example.nl"))
    new = "een heel nieuw wachtwoord"
    response = client.post(
        "/account/wachtwoord", data={"current": PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(copy)


def test_resetting_the_password_ends_every_session(app, client, db):
    from buurtbegroting.auth.services import make_reset_token

    user = make_user(email="anna@example.nl")
    db.session.commit()
    copy = _copy(app, _log_in(client, "anna@example.nl"))
    token = make_reset_token(user)
    new = "een heel nieuw wachtwoord"
    stranger = app.test_client()
    response = stranger.post(
        "/wachtwoord/nieuw", data={"token": token, "password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert not _logged_in(copy)
    assert not _logged_in(client)


def test_blocking_ends_every_session_even_after_unblocking(app, client, db, login):
    anna = make_user(email="anna@example.nl")
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    copy = _copy(app, _log_in(client, "anna@example.nl"))
    boss = app.test_client()
    with boss.session_transaction() as session:
        session["_user_id"] = admin.get_id()
    url = f"/beheer/gebruikers/{anna.id}"
    assert boss.post(url, data={"role": "resident", "is_blocked": "y"}).status_code == 302
    assert not _logged_in(copy)
    assert boss.post(url, data={"role": "resident"}).status_code == 302
    assert not _logged_in(copy)
    assert not _logged_in(client)


def test_a_session_without_a_version_or_with_garbage_is_not_logged_in(app, db):
    anna = make_user()
    db.session.commit()
    for value in (str(anna.id), f"{anna.id}:x", "x:1", f"{anna.id}:99", ""):
        other = app.test_client()
        with other.session_transaction() as session:
            session["_user_id"] = value
        assert not _logged_in(other)
