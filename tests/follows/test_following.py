"""Following an idea, an area or a group: the button, the automatic follow, the settings page."""

from __future__ import annotations

from sqlalchemy import func, select

from buurtbegroting.auth.privacy import delete_account
from buurtbegroting.extensions import db
from buurtbegroting.follows.services import follow, is_following, preferences, set_preferences
from buurtbegroting.ideas.services import change_status, submit
from buurtbegroting.models import (
    DigestItem,
    Follow,
    FollowEvent,
    FollowPreference,
    FollowTarget,
    IdeaStatus,
    NotifyMode,
)
from tests.factories import make_group, make_idea, make_neighbourhood, make_user


def test_a_resident_follows_and_unfollows_an_idea_an_area_and_a_group(app, client, login):
    area = make_neighbourhood(postcodes=())
    idea = make_idea(area)
    group = make_group(area)
    resident = make_user(area=area)
    db.session.commit()
    login(resident)
    pages = {
        FollowTarget.IDEA: (idea.id, f"/ideeen/{idea.id}"),
        FollowTarget.AREA: (area.id, f"/gebied/{area.code}"),
        FollowTarget.GROUP: (group.id, f"/groepen/{group.id}"),
    }
    for target, (target_id, page) in pages.items():
        assert "Volgen" in client.get(page).get_data(as_text=True)
        response = client.post(f"/volgen/{target.value}/{target_id}", data={"volgen": "1"})
        assert response.status_code == 302 and response.headers["Location"].endswith(page)
        assert is_following(resident, target, target_id)
        assert "Niet meer volgen" in client.get(page).get_data(as_text=True)
        client.post(f"/volgen/{target.value}/{target_id}", data={"volgen": "1"})  # twice: once
        client.post(f"/volgen/{target.value}/{target_id}", data={"volgen": "0"})
        assert not is_following(resident, target, target_id)


def test_anonymous_visitors_are_asked_to_log_in_to_follow(app, client):
    idea = make_idea()
    db.session.commit()
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert "Log in om te volgen" in page
    response = client.post(f"/volgen/idea/{idea.id}", data={"volgen": "1"})
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_following_something_that_does_not_exist_is_404(app, client, login):
    login(make_user())
    db.session.commit()
    assert client.post("/volgen/idea/999", data={"volgen": "1"}).status_code == 404
    assert client.post("/volgen/kaas/1", data={"volgen": "1"}).status_code == 404
    assert client.post("/volgen/area/999", data={"volgen": "1"}).status_code == 404


def test_a_draft_of_someone_else_cannot_be_followed(app, client, login):
    idea = make_idea(status=IdeaStatus.DRAFT)
    login(make_user())
    db.session.commit()
    assert client.post(f"/volgen/idea/{idea.id}", data={"volgen": "1"}).status_code == 404


def test_the_follow_button_needs_the_csrf_token(csrf_app, client, login):
    idea = make_idea()
    resident = login(make_user())
    db.session.commit()
    assert client.post(f"/volgen/idea/{idea.id}", data={"volgen": "1"}).status_code == 400
    assert not is_following(resident, FollowTarget.IDEA, idea.id)


def test_the_author_follows_their_own_idea_on_submit(app):
    author = make_user()
    idea = make_idea(
        author=author, status=IdeaStatus.DRAFT, own_theme="Groen", costs=(("Bankjes", 400_000),)
    )
    submit(idea, author)
    assert idea.status == IdeaStatus.SUBMITTED
    assert is_following(author, FollowTarget.IDEA, idea.id)


def test_the_settings_page_stores_a_choice_per_kind_of_news(app, client, login):
    resident = login(make_user())
    db.session.commit()
    page = client.get("/account/meldingen")
    assert page.status_code == 200 and "Eén keer per week" in page.get_data(as_text=True)
    data = {event.value: "immediate" for event in FollowEvent}
    data |= {"progress": "digest", "results": "off"}
    assert client.post("/account/meldingen", data=data).status_code == 302
    chosen = preferences(resident.id)
    assert chosen[FollowEvent.PROGRESS] == NotifyMode.DIGEST
    assert chosen[FollowEvent.RESULTS] == NotifyMode.OFF
    assert chosen[FollowEvent.STATUS] == NotifyMode.IMMEDIATE


def test_the_settings_page_refuses_an_unknown_choice(app, client, login):
    resident = login(make_user())
    db.session.commit()
    data = {event.value: "immediate" for event in FollowEvent}
    for bad in ("sometimes", "", "x" * 10_000, "digest\n"):
        response = client.post("/account/meldingen", data=data | {"status": bad})
        assert response.status_code == 422, bad
    # A newsletter has no line in a digest: that setting is not offered.
    assert (
        client.post("/account/meldingen", data=data | {"newsletter": "digest"}).status_code == 422
    )
    assert preferences(resident.id)[FollowEvent.STATUS] == NotifyMode.IMMEDIATE


def test_the_settings_page_needs_a_login(app, client):
    response = client.get("/account/meldingen")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_what_following_keeps_is_in_the_download_of_own_data(app, client, login):
    idea = make_idea()
    resident = login(make_user())
    db.session.commit()
    client.post(f"/volgen/idea/{idea.id}", data={"volgen": "1"})
    data = client.get("/account/mijn-gegevens.json").get_json()
    assert data["follows"] == [
        {"what": "idea", "id": idea.id, "since": data["follows"][0]["since"]}
    ]
    assert data["notification_settings"]["status"] == "immediate"
    assert data["digest_waiting"] == []
    assert resident.email == data["account"]["email"]


def test_staff_find_the_newsletter_and_residents_their_settings(app, client, login, people):
    area = people["neighbourhood"]
    login(people["coordinator"])
    page = client.get(f"/gebied/{area.code}").get_data(as_text=True)
    assert f"/beheer/nieuwsbrief/gebied/{area.id}" in page
    login(people["resident"])
    assert "/beheer/nieuwsbrief/" not in client.get(f"/gebied/{area.code}").get_data(as_text=True)
    assert "/account/meldingen" in client.get("/account").get_data(as_text=True)


def test_deleting_an_account_deletes_what_following_kept(app):
    idea = make_idea()
    resident = make_user()
    follow(resident, FollowTarget.IDEA, idea.id)
    set_preferences(resident.id, {FollowEvent.STATUS: NotifyMode.DIGEST})
    change_status(idea, IdeaStatus.IN_REVIEW, None)
    db.session.commit()
    delete_account(resident, None)
    db.session.commit()
    for model in (Follow, FollowPreference, DigestItem):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
