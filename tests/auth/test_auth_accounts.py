"""Register, log in and out, reset a password, change settings; bad input for each."""

import re

import pytest
from sqlalchemy import func, select

from buurtbegroting.models import OutboxMessage, User
from tests.factories import PASSWORD, make_neighbourhood, make_user


@pytest.fixture()
def buurt(db):
    area = make_neighbourhood(postcodes=("5344", "5345AB"), name="Ruwaard-Oost")
    db.session.commit()
    return area


def _register(client, **overrides):
    data = {
        "email": "nieuw@example.nl",
        "display_name": "Nieuwe Inwoner",
        "postcode": "5344 ab",
        "password": "een lang wachtwoord",
        "confirm": "een lang wachtwoord",
    }
    data.update(overrides)
    return client.post("/registreren", data=data)


def _user_count(db):
    return db.session.scalar(select(func.count(User.id)))


def test_register_creates_unverified_resident_in_postcode_neighbourhood(client, db, buurt, mailbox):
    response = _register(client, email="  Nieuw@Example.NL ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inloggen")
    user = db.session.scalar(select(User).where(User.email == "nieuw@example.nl"))
    assert user.area_id == buurt.id
    assert user.postcode == "5344AB"
    assert user.password_hash.startswith("scrypt:")
    assert "een lang wachtwoord" not in user.password_hash
    assert user.email_verified_at is None
    message, _ = _reset_link(mailbox, "nieuw@example.nl")
    assert "Bevestig uw e-mailadres" in message["subject"]
    login = client.post(
        "/inloggen", data={"email": "nieuw@example.nl", "password": "een lang wachtwoord"}
    )
    assert login.status_code == 302
    assert client.get("/account").status_code == 200


def test_register_with_unknown_postcode_keeps_what_was_typed(client, db, buurt):
    response = _register(client, postcode="9999 ZZ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "We kennen deze postcode niet in deze gemeente" in page
    assert 'value="nieuw@example.nl"' in page
    assert 'value="Nieuwe Inwoner"' in page
    assert 'value="9999ZZ"' in page or 'value="9999 ZZ"' in page
    assert 'aria-invalid="true"' in page
    assert _user_count(db) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "Vul uw e-mailadres in."),
        ("email", "geen-adres", "Vul een e-mailadres in"),
        ("email", "a" * 250 + "@example.nl", "Dit e-mailadres is te lang."),
        ("display_name", "", "Vul de naam in die anderen zien."),
        ("display_name", "x" * 10_000, "Gebruik hoogstens 80 tekens."),
        ("postcode", "", "Vul uw postcode in."),
        ("postcode", "<script>alert(1)</script>", "Dit is geen postcode"),
        ("password", "kort", "Gebruik minstens 10 tekens."),
        ("confirm", "iets anders dan dat", "De twee wachtwoorden zijn niet hetzelfde."),
    ],
)
def test_register_rejects_bad_input_with_a_message_at_the_field(
    client, db, buurt, field, value, message
):
    response = _register(client, **{field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "<script>alert(1)</script>" not in page
    assert _user_count(db) == 0


def test_login_and_logout(client, db):
    user = make_user(email="anna@example.nl")
    db.session.commit()
    response = client.post("/inloggen", data={"email": "ANNA@example.nl", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    db.session.refresh(user)
    assert user.last_login_at is not None
    assert client.get("/uitloggen").status_code == 405
    assert client.post("/uitloggen").status_code == 302
    assert client.get("/account").status_code == 302


def test_login_with_wrong_password_or_unknown_address_says_the_same(client, db):
    make_user(email="anna@example.nl")
    db.session.commit()
    wrong = client.post(
        "/inloggen", data={"email": "anna@example.nl", "password": "fout wachtwoord"}
    )
    unknown = client.post(
        "/inloggen", data={"email": "niemand@example.nl", "password": "fout wachtwoord"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "horen niet bij een account" in response.get_data(as_text=True)
    assert 'value="anna@example.nl"' in wrong.get_data(as_text=True)


def test_blocked_account_cannot_log_in(client, db):
    make_user(email="weg@example.nl", is_active=False)
    db.session.commit()
    response = client.post("/inloggen", data={"email": "weg@example.nl", "password": PASSWORD})
    assert response.status_code == 422


def test_login_redirect_goes_only_to_this_site(client, db):
    make_user(email="anna@example.nl")
    db.session.commit()
    response = client.post(
        "/inloggen?next=https://evil.example/",
        data={"email": "anna@example.nl", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"
    client.post("/uitloggen")
    response = client.post(
        "/inloggen?next=/gebieden", data={"email": "anna@example.nl", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/gebieden"


def test_login_attempts_are_rate_limited(client, db, mailbox):
    for _ in range(10):
        assert (
            client.post("/inloggen", data={"email": "x@example.nl", "password": "nope"}).status_code
            == 422
        )
    response = client.post("/inloggen", data={"email": "x@example.nl", "password": "nope"})
    assert response.status_code == 429
    assert "Te veel pogingen" in response.get_data(as_text=True)


def _reset_link(mailbox, email):
    # The link is a secret: only the recipient (and, in development, the log) has it.
    return mailbox.last_to(email), mailbox.link_to(email)


def _code(link):
    """Return the path of a reset link and the code in its fragment."""
    path, _, code = link.split("localhost", 1)[1].partition("#")
    return path, code


def test_password_reset_by_email_works_once(client, db, mailbox):
    make_user(email="anna@example.nl", locale="en")
    db.session.commit()
    response = client.post("/wachtwoord-vergeten", data={"email": "anna@example.nl"})
    assert response.status_code == 302
    message, link = _reset_link(mailbox, "anna@example.nl")
    assert message["subject"] == "Choose a new password"  # in the account's language
    path, code = _code(link)
    assert path == "/wachtwoord/nieuw" and code
    assert code not in path
    page = client.get(path)
    assert page.status_code == 200
    assert "js/fragment-token.js" in page.get_data(as_text=True)
    new = {"token": code, "password": "nieuw wachtwoord 1", "confirm": "nieuw wachtwoord 1"}
    assert client.post(path, data=new).status_code == 302
    assert (
        client.post(
            "/inloggen", data={"email": "anna@example.nl", "password": "nieuw wachtwoord 1"}
        ).status_code
        == 302
    )
    client.post("/uitloggen")
    again = client.post(
        path, data={"token": code, "password": "derde wachtwoord", "confirm": "derde wachtwoord"}
    )
    assert again.status_code == 422
    assert "This code has expired or has been used already" in again.get_data(as_text=True)
    assert (
        client.post(
            "/inloggen", data={"email": "anna@example.nl", "password": "derde wachtwoord"}
        ).status_code
        == 422
    )


def test_password_reset_mail_carries_the_code_only_in_fragments_and_as_text(client, db, mailbox):
    make_user(email="anna@example.nl")
    db.session.commit()
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.nl"})
    message, _ = _reset_link(mailbox, "anna@example.nl")
    links = re.findall(r"https?://\S+", message["body"])
    assert links
    _, code = _code(links[0])
    assert len(code) > 20
    for link in links:
        before_fragment = link.partition("#")[0]
        assert code not in before_fragment
        assert "?" not in before_fragment
    # Without JavaScript: the page to open and the code to paste are in the mail.
    assert "localhost/wachtwoord/nieuw " in message["body"]
    assert f"\n{code}\n" in message["body"]


def test_password_reset_code_can_be_typed_with_spaces_around(client, db, mailbox):
    make_user(email="anna@example.nl")
    db.session.commit()
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.nl"})
    _, link = _reset_link(mailbox, "anna@example.nl")
    path, code = _code(link)
    new = {"token": f"  {code} ", "password": "nieuw wachtwoord 1", "confirm": "nieuw wachtwoord 1"}
    assert client.post(path, data=new).status_code == 302


def test_password_reset_link_expires(client, db, app, mailbox):
    make_user(email="anna@example.nl")
    db.session.commit()
    client.post("/wachtwoord-vergeten", data={"email": "anna@example.nl"})
    _, link = _reset_link(mailbox, "anna@example.nl")
    path, code = _code(link)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.post(
            path,
            data={"token": code, "password": "nieuw wachtwoord", "confirm": "nieuw wachtwoord"},
        )
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert response.status_code == 422


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(
        "/wachtwoord-vergeten", data={"email": "niemand@example.nl"}, follow_redirects=True
    )
    assert "Als er een account is met dit adres" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not-a-token", "Deze code is verlopen of al gebruikt"),
        ("", "Vul de code uit de e-mail in."),
        ("x" * 10_000, "Deze code is te lang."),
        ("\x00\r\n", "Deze code is verlopen of al gebruikt"),
    ],
)
def test_bad_reset_codes_are_refused_at_the_field(client, token, message):
    response = client.post(
        "/wachtwoord/nieuw",
        data={"token": token, "password": "nieuw wachtwoord", "confirm": "nieuw wachtwoord"},
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_the_old_reset_url_with_the_token_in_the_path_is_gone(client):
    assert client.get("/wachtwoord-herstellen/some-token").status_code == 404


def test_password_reset_requests_are_rate_limited(client, db):
    codes = [
        client.post("/wachtwoord-vergeten", data={"email": "x@example.nl"}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [302] * 5
    assert codes[5] == 429


def test_account_settings_change_name_postcode_and_language(client, db, login, buurt):
    other = make_neighbourhood(postcodes=("5351",), name="Berghem")
    user = login(make_user(area=buurt, postcode="5344"))
    db.session.commit()
    response = client.post(
        "/account", data={"display_name": "Anna J.", "postcode": "5351", "locale": "en"}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.area_id, user.locale) == ("Anna J.", other.id, "en")
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_account_settings_refuse_unknown_postcode_and_keep_the_rest(client, db, login, buurt):
    user = login(make_user(area=buurt, postcode="5344", display_name="Anna"))
    db.session.commit()
    response = client.post(
        "/account", data={"display_name": "Anna Nieuw", "postcode": "1011AB", "locale": "nl"}
    )
    assert response.status_code == 422
    assert 'value="Anna Nieuw"' in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.display_name == "Anna" and user.area_id == buurt.id


def test_change_password_needs_the_current_one(client, db, login):
    user = login(make_user())
    db.session.commit()
    bad = client.post(
        "/account/wachtwoord",
        data={"current": "fout", "password": "nieuw wachtwoord!", "confirm": "nieuw wachtwoord!"},
    )
    assert bad.status_code == 422
    assert "Dit is niet uw huidige wachtwoord." in bad.get_data(as_text=True)
    good = client.post(
        "/account/wachtwoord",
        data={"current": PASSWORD, "password": "nieuw wachtwoord!", "confirm": "nieuw wachtwoord!"},
    )
    assert good.status_code == 302
    db.session.refresh(user)
    assert user.check_password("nieuw wachtwoord!")


def test_account_page_needs_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_forms_refuse_a_post_without_csrf_token(csrf_app, db, buurt):
    client = csrf_app.test_client()
    response = _register(client)
    assert response.status_code == 400
    assert _user_count(db) == 0


def test_session_cookie_is_httponly_and_samesite_lax(client, db):
    make_user(email="anna@example.nl")
    db.session.commit()
    response = client.post("/inloggen", data={"email": "anna@example.nl", "password": PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
