"""Staff send a newsletter to the followers of an area or a round: preview, send, audited."""

from __future__ import annotations

from sqlalchemy import select

from buurtbegroting.extensions import db
from buurtbegroting.follows.services import set_preferences
from buurtbegroting.models import AuditEntry, FollowEvent, FollowTarget, NotifyMode, OutboxMessage
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.rounds import make_round
from tests.follows.helpers import followers_of, news_to
from tests.mailbox import deliver

GOOD = {
    "subject": "Nieuws uit de wijk",
    "text": "Beste buren,\n\nDe bankjes komen er.",
    "send": "1",
}


def test_a_coordinator_previews_and_sends_to_the_followers_of_their_area(
    app, client, login, people, smtp_server
):
    area = people["neighbourhood"]
    fans = followers_of(FollowTarget.AREA, area.id, 3)
    set_preferences(fans[2].id, {FollowEvent.NEWSLETTER: NotifyMode.OFF})
    followers_of(FollowTarget.AREA, make_neighbourhood(postcodes=()).id, 1)
    db.session.commit()
    login(people["coordinator"])
    page = client.get(f"/beheer/nieuwsbrief/gebied/{area.id}")
    assert page.status_code == 200 and "Volgers die deze nieuwsbrief krijgen: 2" in page.get_data(
        as_text=True
    )
    preview = client.post(
        f"/beheer/nieuwsbrief/gebied/{area.id}", data=GOOD | {"send": "", "preview": "1"}
    )
    assert preview.status_code == 200 and "De bankjes komen er." in preview.get_data(as_text=True)
    assert news_to() == []  # a preview sends nothing
    sent = client.post(f"/beheer/nieuwsbrief/gebied/{area.id}", data=GOOD)
    assert sent.status_code == 302
    assert sorted(news_to()) == sorted(p.email for p in fans[:2])
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "follows.newsletter"))
    assert entry.summary == GOOD["subject"] and entry.after["recipients"] == 2
    deliver()
    assert len(smtp_server.received) == 2
    for message in smtp_server.received:
        assert message["Subject"] == GOOD["subject"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "De bankjes komen er." in message.get_payload(decode=True).decode()


def test_newsletters_go_out_in_batches_kept_to_the_rate(app, client, login, people, smtp_server):
    app.config["MAIL_PER_MINUTE"], saved = 3, app.config["MAIL_PER_MINUTE"]
    try:
        followers_of(FollowTarget.AREA, people["neighbourhood"].id, 5)
        login(people["admin"])
        db.session.commit()
        client.post(f"/beheer/nieuwsbrief/gebied/{people['neighbourhood'].id}", data=GOOD)
        assert deliver(sleep=lambda s: None).delivered == 3  # the rest waits for the next minute
        assert len(smtp_server.received) == 3
    finally:
        app.config["MAIL_PER_MINUTE"] = saved


def test_a_round_newsletter_reaches_the_followers_of_its_areas(app, client, login, people):
    round_ = make_round(phase="voting")
    fans = followers_of(FollowTarget.AREA, round_.areas[0].area_id, 2)
    login(people["admin"])
    db.session.commit()
    assert client.post(f"/beheer/nieuwsbrief/ronde/{round_.id}", data=GOOD).status_code == 302
    assert sorted(news_to()) == sorted(p.email for p in fans)


def test_residents_and_coordinators_of_other_areas_are_refused(app, client, login, people):
    other_area = make_neighbourhood(make_district(), postcodes=())
    outsider = make_user(role=people["coordinator"].role, coordinated_areas=[other_area])
    round_ = make_round(phase="voting")
    followers_of(FollowTarget.AREA, people["neighbourhood"].id, 1)
    db.session.commit()
    area_url = f"/beheer/nieuwsbrief/gebied/{people['neighbourhood'].id}"
    login(people["resident"])
    assert client.get(area_url).status_code == 403
    assert client.post(area_url, data=GOOD).status_code == 403
    login(outsider)
    assert client.get(area_url).status_code == 403
    assert client.post(area_url, data=GOOD).status_code == 403
    assert client.post(f"/beheer/nieuwsbrief/ronde/{round_.id}", data=GOOD).status_code == 403
    login(people["reviewer"])
    assert client.post(area_url, data=GOOD).status_code == 403
    assert news_to() == []
    assert client.get("/beheer/nieuwsbrief/gebied/9999").status_code in (403, 404)


def test_bad_input_is_refused_at_the_field(app, client, login, people):
    followers_of(FollowTarget.AREA, people["neighbourhood"].id, 1)
    login(people["coordinator"])
    db.session.commit()
    url = f"/beheer/nieuwsbrief/gebied/{people['neighbourhood'].id}"
    cases = {
        "empty subject": ({"subject": ""}, "Schrijf een onderwerp."),
        "empty text": ({"text": "  "}, "Schrijf de tekst van de nieuwsbrief."),
        "line break in subject": ({"subject": "Nieuws\r\nBcc: x@example.nl"}, "op één regel"),
        "10,000 characters": ({"text": "a" * 10_000}, "Gebruik hoogstens 5000 tekens."),
        "long subject": ({"subject": "b" * 151}, "Gebruik hoogstens 150 tekens."),
        "control character": ({"text": "Hallo\x07"}, "onzichtbare tekens"),
    }
    for name, (change, message) in cases.items():
        response = client.post(url, data=GOOD | change)
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True), name
    assert db.session.scalar(select(OutboxMessage.id)) is None
    assert (
        db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "follows.newsletter"))
        is None
    )
