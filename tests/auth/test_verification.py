"""An account confirms its e-mail address before it may submit, support or invite."""

import re

import pytest
from sqlalchemy import func, select

from buurtbegroting.models import IdeaStatus, OutboxMessage, Support, User
from tests.factories import make_idea, make_neighbourhood, make_user

NOT_VERIFIED = "Bevestig eerst uw e-mailadres"


def _last_mail(mailbox, email):
    # The link is a secret: only the recipient (here the development log) gets the text.
    return mailbox.last_to(email)


def _code(mail):
    link = re.search(r"https?://\S+", mail["body"]).group(0)
    path, _, code = link.split("localhost", 1)[1].partition("#")
    return path, code


def test_new_account_confirms_its_address_with_the_code_from_the_mail(client, db, mailbox):
    make_neighbourhood(postcodes=("5344",))
    db.session.commit()
    client.post(
        "/registreren",
        data={
            "email": "nieuw@example.nl",
            "display_name": "Nieuw",
            "postcode": "5344AB",
            "password": "een lang wachtwoord",
            "confirm": "een lang wachtwoord",
        },
    )
    mail = _last_mail(mailbox, "nieuw@example.nl")
    stored = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == "nieuw@example.nl")
    )
    assert stored.is_secret and stored.body is None and stored.sealed_body is None
    path, code = _code(mail)
    assert path == "/email-bevestigen" and len(code) > 20
    assert f"\n{code}\n" in mail["body"]
    page = client.get(path)
    assert page.status_code == 200 and "js/fragment-token.js" in page.get_data(as_text=True)
    response = client.post(path, data={"token": code})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nieuw@example.nl"))
    assert user.email_verified_at is not None


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "Vul de code uit de e-mail in."),
        ("nep", "Deze code is verlopen of klopt niet."),
        ("y" * 5000, "Deze code is te lang."),
    ],
)
def test_bad_verification_codes_are_refused_at_the_field(client, token, message):
    response = client.post("/email-bevestigen", data={"token": token})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_code_for_an_earlier_address_does_not_confirm_the_new_one(client, db):
    from buurtbegroting.auth.services import make_verify_token

    user = make_user(email="oud@example.nl", email_verified_at=None)
    db.session.commit()
    token = make_verify_token(user)
    user.email = "nieuw@example.nl"
    db.session.commit()
    assert client.post("/email-bevestigen", data={"token": token}).status_code == 422
    db.session.refresh(user)
    assert user.email_verified_at is None


def test_unverified_account_cannot_submit_and_is_told_why(client, db, login):
    author = login(make_user(email_verified_at=None))
    idea = make_idea(author=author, status=IdeaStatus.DRAFT)
    db.session.commit()
    response = client.post(f"/ideeen/{idea.id}/indienen", follow_redirects=True)
    assert NOT_VERIFIED in response.get_data(as_text=True)
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.DRAFT


def test_unverified_account_cannot_support_and_is_told_why(client, db, login):
    idea = make_idea()
    login(make_user(email_verified_at=None))
    db.session.commit()
    response = client.post(f"/ideeen/{idea.id}/steun", follow_redirects=True)
    assert NOT_VERIFIED in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_account_page_offers_to_send_the_mail_again_and_limits_it(client, db, login, mailbox):
    user = login(make_user(email_verified_at=None))
    db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert "Stuur de e-mail opnieuw" in page
    assert client.post("/email-bevestigen/opnieuw").status_code == 302
    _, code = _code(_last_mail(mailbox, user.email))
    codes = [client.post("/email-bevestigen/opnieuw").status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert client.post("/email-bevestigen", data={"token": code}).status_code == 302
    assert "Stuur de e-mail opnieuw" not in client.get("/account").get_data(as_text=True)


def test_verified_account_page_does_not_ask_to_confirm(client, db, login):
    login(make_user())
    db.session.commit()
    assert "Stuur de e-mail opnieuw" not in client.get("/account").get_data(as_text=True)
