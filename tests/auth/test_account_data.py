"""A resident downloads their data and deletes their account; administrators block and delete."""

import json

from sqlalchemy import func, select

from buurtbegroting.models import (
    AuditEntry,
    BallotItem,
    GroupMembership,
    Idea,
    IdeaStatus,
    Role,
    RoundVoter,
    Support,
    User,
)
from buurtbegroting.models.users import FORMER_RESIDENT_EMAIL
from tests.factories import PASSWORD, make_group, make_idea, make_neighbourhood, make_user
from tests.factories.accountability import funded_idea
from tests.factories.cheques import make_collecting_idea
from tests.factories.rounds import make_round


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _resident_with_everything(db):
    area = make_neighbourhood(postcodes=("5344",), name="Ruwaard-Oost")
    anna = make_user(email="anna@example.nl", display_name="Anna Jansen", area=area)
    draft = make_idea(area, anna, title="Nog niet klaar", status=IdeaStatus.DRAFT)
    submitted = make_idea(area, anna, title="Bankjes", status=IdeaStatus.SUBMITTED)
    funded, _ = funded_idea(area, anna, title="Speeltuin")
    cheques = make_collecting_idea(area=area, author=anna, title="Buurtfeest")
    other = make_idea(area, title="Van een ander")
    db.session.add(Support(idea_id=other.id, user_id=anna.id))
    group = make_group(area, members=[anna], name="Groen Oost")
    db.session.commit()
    return anna, {
        "draft": draft,
        "submitted": submitted,
        "funded": funded,
        "cheques": cheques,
        "other": other,
        "group": group,
    }


def test_resident_downloads_their_data_as_json(client, db, login):
    anna, ideas = _resident_with_everything(db)
    login(anna)
    response = client.get("/account/mijn-gegevens.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "anna@example.nl"
    assert data["account"]["area"] == "Ruwaard-Oost"
    assert "password_hash" not in json.dumps(data) and "scrypt" not in json.dumps(data)
    titles = {i["title"] for i in data["ideas"]}
    assert {"Nog niet klaar", "Bankjes", "Speeltuin", "Buurtfeest"} <= titles
    assert [s["title"] for s in data["supports"]] == ["Van een ander"]
    assert [g["group"] for g in data["group_memberships"]] == ["Groen Oost"]
    assert [c["title"] for c in data["cheque_initiatives"]] == ["Buurtfeest"]
    assert set(data) == {
        "account",
        "ideas",
        "supports",
        "group_memberships",
        "cheque_initiatives",
        "follows",
        "notification_settings",
        "digest_waiting",
        "arguments",
        "helpful_marks",
        "argument_reports",
    }


def test_data_download_needs_login(client):
    assert client.get("/account/mijn-gegevens.json").status_code == 302


def test_resident_deletes_their_account_drafts_go_others_stay_as_a_resident(client, db, login):
    anna, found = _resident_with_everything(db)
    anna_id = anna.id
    ideas = {key: value.id for key, value in found.items()}
    login(anna)
    assert client.get("/account/verwijderen").status_code == 200
    response = client.post("/account/verwijderen", data={"password": PASSWORD})
    assert response.status_code == 302
    assert db.session.get(User, anna_id) is None
    assert db.session.get(Idea, ideas["draft"]) is None
    placeholder = db.session.scalar(select(User).where(User.email == FORMER_RESIDENT_EMAIL))
    assert not placeholder.is_active
    for key in ("submitted", "funded", "cheques", "other"):
        assert db.session.get(Idea, ideas[key]) is not None
    for key in ("submitted", "funded", "cheques"):
        assert db.session.get(Idea, ideas[key]).author_id == placeholder.id
    assert _count(db, Support) == 0
    assert (
        db.session.scalar(
            select(func.count(GroupMembership.id)).where(GroupMembership.user_id == anna_id)
        )
        == 0
    )
    page = client.get(f"/ideeen/{ideas['submitted']}").get_data(as_text=True)
    assert "door een inwoner" in page and "Anna Jansen" not in page
    assert client.get("/account").status_code == 302  # logged out
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.delete"))
    assert entry.object_id == str(anna_id) and "anna@example.nl" not in (
        entry.summary + entry.actor_label
    )
    # Nobody can log in to the stand-in account.
    assert (
        client.post("/inloggen", data={"email": FORMER_RESIDENT_EMAIL, "password": "!"}).status_code
        == 422
    )


def test_deleting_with_a_wrong_or_missing_password_is_refused(client, db, login):
    anna = login(make_user())
    db.session.commit()
    for data, message in (
        ({"password": "niet mijn wachtwoord"}, "Dit is niet uw huidige wachtwoord."),
        ({"password": ""}, "Vul uw wachtwoord in om uw account te verwijderen."),
        ({"password": "x" * 10_000}, "Dit wachtwoord is te lang."),
    ):
        response = client.post("/account/verwijderen", data=data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert db.session.get(User, anna.id) is not None


def test_deleting_twice_finds_no_account_the_second_time(app, client, db, login):
    anna = login(make_user())
    db.session.commit()
    copy = app.test_client()
    with copy.session_transaction() as session:
        session["_user_id"] = anna.get_id()
    assert client.post("/account/verwijderen", data={"password": PASSWORD}).status_code == 302
    second = copy.post("/account/verwijderen", data={"password": PASSWORD})
    assert second.status_code == 302 and "/inloggen" in second.headers["Location"]
    assert _count(db, User) == 0


def test_an_account_that_voted_in_an_open_round_is_kept_until_it_closes(client, db, login):
    round_ = make_round()
    anna = login(make_user(area=round_.areas[0].area))
    db.session.add(RoundVoter(round_area_id=round_.areas[0].id, user_id=anna.id))
    db.session.commit()
    response = client.post("/account/verwijderen", data={"password": PASSWORD})
    assert response.status_code == 409
    assert "nog open" in response.get_data(as_text=True)
    assert db.session.get(User, anna.id) is not None


def test_administrator_deletes_an_account_with_ideas_on_a_ballot(client, db, login):
    from tests.factories.rounds import put_on_ballot

    admin = login(make_user(role=Role.ADMIN))
    round_ = make_round(phase="review")
    item = put_on_ballot(round_.areas[0], [100_000])[0]
    author_id = item.idea.author_id
    db.session.commit()
    response = client.post(f"/beheer/gebruikers/{author_id}/verwijderen")
    assert response.status_code == 302
    assert db.session.get(User, author_id) is None
    assert db.session.get(BallotItem, item.id).idea.author.is_former_resident
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.delete"))
    assert entry.actor_id == admin.id
    assert client.post(f"/beheer/gebruikers/{author_id}/verwijderen").status_code == 404


def test_administrator_cannot_delete_themselves_and_residents_cannot_delete_others(
    client, db, login
):
    admin = make_user(role=Role.ADMIN)
    bob = make_user()
    db.session.commit()
    login(admin)
    assert client.post(f"/beheer/gebruikers/{admin.id}/verwijderen").status_code == 403
    login(bob)
    assert client.post(f"/beheer/gebruikers/{admin.id}/verwijderen").status_code in (403, 404)
    assert _count(db, User) == 2
