"""Co-organiser invitations: fixed text, a confirmed address, and a limit per account."""

from sqlalchemy import func, select

from buurtbegroting.models import CoOrganiser, IdeaStatus, OutboxMessage
from tests.factories import make_idea, make_user

ATTACK = "Uw bankrekening is geblokkeerd, log in op https://evil.example"


def _invite(client, idea, email, name="Bram"):
    return client.post(f"/ideeen/{idea.id}/cheques/uitnodigen", data={"name": name, "email": email})


def _setup(db, world, **user):
    author = make_user(area=world["east"], display_name=ATTACK[:80], **user)
    idea = make_idea(world["east"], author, title=ATTACK[:120], status=IdeaStatus.SUBMITTED)
    db.session.commit()
    return idea, author


def test_invitation_mail_has_only_fixed_text(client, db, login, world, mailbox):
    idea, author = _setup(db, world)
    login(author)
    assert _invite(client, idea, "bram@example.nl", name=ATTACK[:80]).status_code == 302
    stored = db.session.scalar(select(OutboxMessage))
    assert stored.recipient == "bram@example.nl" and stored.body is None  # a secret link
    mail = mailbox.last_to("bram@example.nl")
    for text in (mail["subject"], mail["body"]):
        assert "evil.example" not in text and "bankrekening" not in text
    assert "/cheques/bevestigen/" in mail["body"]
    # The confirmation page on the site says who asked, escaped.
    link = mail["body"].split("localhost", 1)[1].split()[0]
    assert "geblokkeerd" in client.get(link).get_data(as_text=True)


def test_unverified_account_cannot_invite(client, db, login, world):
    idea, author = _setup(db, world, email_verified_at=None)
    login(author)
    response = _invite(client, idea, "bram@example.nl")
    assert response.status_code == 422
    assert "Bevestig eerst uw e-mailadres" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert db.session.scalar(select(func.count(CoOrganiser.id))) == 0


def test_invitations_are_limited_per_account_and_refusals_do_not_count(
    client, db, login, world, app
):
    idea, author = _setup(db, world)
    other_idea = make_idea(world["east"], author, status=IdeaStatus.SUBMITTED)
    db.session.commit()
    login(author)
    assert _invite(client, idea, author.email).status_code == 422  # own address: refused
    sent = [_invite(client, idea, f"p{n}@example.nl").status_code for n in range(3)]
    sent += [_invite(client, other_idea, f"q{n}@example.nl").status_code for n in range(2)]
    assert sent == [302] * 5
    # The limit is per account, over every initiative it owns.
    assert _invite(client, other_idea, "te-veel@example.nl").status_code == 429
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 5
    # Another account has its own limit.
    second, _ = _setup(db, world)
    login(second.author)
    assert _invite(client, second, "r@example.nl").status_code == 302
