"""The initiative's set-up: target, date, addresses, co-organisers, and the rules at acceptance."""

from datetime import timedelta

from sqlalchemy import select

from buurtbegroting.cheques import services
from buurtbegroting.models import CoOrganiser, Destination, IdeaStatus
from tests.factories import make_idea, make_user
from tests.factories.cheques import today


def _setup(world, db, status=IdeaStatus.SUBMITTED):
    author = make_user(area=world["east"])
    idea = make_idea(world["east"], author, title="Buurtbarbecue", status=status)
    db.session.commit()
    return idea, author


def _invite_and_confirm(client, mailbox, idea, name, email, postcode, number):
    client.post(f"/ideeen/{idea.id}/cheques/uitnodigen", data={"name": name, "email": email})
    # The link is a secret: only the recipient (and, in development, the log) has it.
    link = mailbox.link_to(email, r"http://\S+/cheques/bevestigen/\S+")
    path = link.split("localhost", 1)[-1]
    return client.post(path, data={"postcode": postcode, "house_number": number})


def test_owner_sets_target_date_and_address_and_invites_co_organisers(
    client, db, login, world, mailbox
):
    idea, author = _setup(world, db)
    login(author)
    page = client.get(f"/ideeen/{idea.id}/cheques").get_data(as_text=True)
    assert "Inzamelen met cheques" in page and "Ten minste 3 organisatoren" in page
    response = client.post(
        f"/ideeen/{idea.id}/cheques",
        data={
            "target": "450",
            "target_date": (today() + timedelta(days=30)).isoformat(),
            "postcode": "5344 AB",
            "house_number": "12",
        },
    )
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.target_cents == 45_000 and idea.destination == Destination.CHEQUES
    own = services.author_row(idea)
    assert own.address_hash and "5344" not in own.address_hash
    confirmed = _invite_and_confirm(client, mailbox, idea, "Bram", "bram@example.nl", "5344AC", "3")
    assert confirmed.status_code == 200
    assert "U bent nu mede-organisator" in confirmed.get_data(as_text=True)
    same = _invite_and_confirm(client, mailbox, idea, "Cor", "cor@example.nl", "5344 ab", "12")
    assert "Iemand van uw adres organiseert dit initiatief al." in same.get_data(as_text=True)
    page = client.get(f"/ideeen/{idea.id}/cheques").get_data(as_text=True)
    assert "nu 2" in page
    rows = db.session.scalars(select(CoOrganiser).where(CoOrganiser.idea_id == idea.id)).all()
    assert all(r.address_hash is None or len(r.address_hash) == 64 for r in rows)
    assert not any("5344" in (r.address_hash or "") for r in rows)


def test_bad_input_on_the_set_up_page(client, db, login, world, app):
    idea, author = _setup(world, db)
    login(author)
    too_high = client.post(
        f"/ideeen/{idea.id}/cheques",
        data={"target": "6000", "target_date": (today() + timedelta(days=5)).isoformat()},
    )
    assert too_high.status_code == 422
    assert "Het doelbedrag is hoogstens" in too_high.get_data(as_text=True)
    past = client.post(
        f"/ideeen/{idea.id}/cheques", data={"target": "100", "target_date": today().isoformat()}
    )
    assert "Kies een datum in de toekomst." in past.get_data(as_text=True)
    half = client.post(
        f"/ideeen/{idea.id}/cheques",
        data={"target": "100", "target_date": "31-12-2099", "postcode": "5344AB"},
    )
    assert "Vul zowel uw postcode als uw huisnummer in." in half.get_data(as_text=True)
    unknown = client.post(
        f"/ideeen/{idea.id}/cheques",
        data={
            "target": "100",
            "target_date": "31-12-2099",
            "postcode": "9999ZZ",
            "house_number": "1",
        },
    )
    assert "Deze postcode ligt niet in deze gemeente." in unknown.get_data(as_text=True)
    own = client.post(
        f"/ideeen/{idea.id}/cheques/uitnodigen", data={"name": "Ik", "email": author.email}
    )
    assert "Dit is uw eigen e-mailadres." in own.get_data(as_text=True)


def test_confirmation_link_that_does_not_exist(client, world):
    response = client.get("/cheques/bevestigen/niet-bestaand")
    assert response.status_code == 404
    assert "Deze link werkt niet" in response.get_data(as_text=True)
    # The author's own row can never be reached through a link.
    assert client.get(f"/cheques/bevestigen/author-{world['idea'].id}").status_code == 404


def test_set_up_permissions(client, db, login, world):
    idea, author = _setup(world, db)
    url = f"/ideeen/{idea.id}/cheques"
    assert "/inloggen" in client.get(url).headers["Location"]
    login(world["resident"])
    assert client.get(url).status_code == 403
    assert client.post(url, data={"target": "1"}).status_code == 403
    assert (
        client.post(f"{url}/uitnodigen", data={"name": "x", "email": "x@example.nl"}).status_code
        == 403
    )
    login(world["admin"])
    assert client.get(url).status_code == 403
    login(author)
    assert client.get(url).status_code == 200
    idea.status = IdeaStatus.ACCEPTED
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "kunnen niet meer veranderen" in page
    assert client.post(url, data={"target": "1"}).status_code == 403


def test_review_refuses_cheques_without_the_rules_and_accepts_with_them(
    client, db, login, world, mailbox
):
    idea, author = _setup(world, db, status=IdeaStatus.IN_REVIEW)
    login(world["coordinator"])
    refused = client.post(
        f"/beheer/beoordelen/{idea.id}/besluit", data={"decision": "accept_cheques", "message": ""}
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "De initiatiefnemers hebben nog geen doelbedrag gekozen." in text
    assert "ten minste 3 organisatoren van verschillende adressen nodig. Nu zijn het er 0" in text
    login(author)
    client.post(
        f"/ideeen/{idea.id}/cheques",
        data={
            "target": "300",
            "target_date": "31-12-2099",
            "postcode": "5344AA",
            "house_number": "1",
        },
    )
    idea.status = IdeaStatus.SUBMITTED
    db.session.commit()
    _invite_and_confirm(client, mailbox, idea, "Bram", "bram@example.nl", "5344AB", "2")
    _invite_and_confirm(client, mailbox, idea, "Cor", "cor@example.nl", "5344AC", "3")
    _invite_and_confirm(client, mailbox, idea, "Dien", "dien@example.nl", "5344AC", "3")
    idea.status = IdeaStatus.IN_REVIEW
    db.session.commit()
    login(world["coordinator"])
    accepted = client.post(
        f"/beheer/beoordelen/{idea.id}/besluit", data={"decision": "accept_cheques", "message": ""}
    )
    assert accepted.status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.ACCEPTED
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert "Geef cheques aan dit initiatief" in page
