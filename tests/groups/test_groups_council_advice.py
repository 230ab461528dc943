"""Mark a group as neighbourhood council (municipality only, audited); the council's advice."""

from __future__ import annotations

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from buurtbegroting.models import Advice, AdvicePosition, AuditEntry, IdeaStatus
from tests.factories import make_group, make_idea, make_user

# --- marking a council ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "area_coordinator"])
def test_municipality_marks_and_unmarks_a_council_and_it_is_audited(client, login, world, db, who):
    group = make_group(world.buurt)
    db.session.commit()
    actor = getattr(world, who)
    login(actor)
    page = client.get(f"/groepen/{group.id}").text
    assert "Aanwijzen als raad van dit gebied" in page
    response = client.post(f"/groepen/{group.id}/wijkraad", data={"wijkraad": "1"})
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.is_council is True
    response = client.post(f"/groepen/{group.id}/wijkraad", data={"wijkraad": "0"})
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.is_council is False
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["group.council", "group.not_council"]
    assert all(e.actor_id == actor.id and e.object_id == str(group.id) for e in entries)
    assert entries[0].before == {"is_council": False}
    assert entries[0].after == {"is_council": True}


def test_marking_twice_writes_one_audit_entry(client, login, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    login(world.admin)
    client.post(f"/groepen/{group.id}/wijkraad", data={"wijkraad": "1"})
    client.post(f"/groepen/{group.id}/wijkraad", data={"wijkraad": "1"})
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


@pytest.mark.parametrize("who", ["resident", "group_coordinator", "far_coordinator"])
def test_others_may_not_mark_a_council(client, login, world, db, who):
    coordinator = make_user()
    group = make_group(world.buurt, coordinator=coordinator)
    db.session.commit()
    login(coordinator if who == "group_coordinator" else getattr(world, who))
    assert "Aanwijzen als raad" not in client.get(f"/groepen/{group.id}").text
    response = client.post(f"/groepen/{group.id}/wijkraad", data={"wijkraad": "1"})
    assert response.status_code == 403
    db.session.refresh(group)
    assert group.is_council is False
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_anonymous_marking_goes_to_login(client, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    response = client.post(f"/groepen/{group.id}/wijkraad", data={"wijkraad": "1"})
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_council_is_labelled_on_its_page_and_in_the_list(client, world, db):
    group = make_group(world.buurt, is_council=True, name="Wijkraad Ruwaard")
    db.session.commit()
    assert "Wijkraad of dorpsraad" in client.get(f"/groepen/{group.id}").text
    assert "Wijkraad of dorpsraad" in client.get("/groepen").text


# --- advice ---------------------------------------------------------------------------------


def _url(idea, group) -> str:
    return f"/ideeen/{idea.id}/advies?groep={group.id}"


def _advices(db) -> list[Advice]:
    return db.session.scalars(select(Advice)).all()


def test_council_coordinator_gives_advice_and_changes_it_later(client, login, world, db):
    group = make_group(world.district, coordinator=world.resident, is_council=True)
    idea = make_idea(world.buurt)
    db.session.commit()
    login(world.resident)
    assert client.get(_url(idea, group)).status_code == 200
    response = client.post(_url(idea, group), data={"position": "positive", "text": "Goed plan."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ideeen/{idea.id}")
    [advice] = _advices(db)
    assert (advice.position, advice.text, advice.author_id) == (
        AdvicePosition.POSITIVE,
        "Goed plan.",
        world.resident.id,
    )
    form = client.get(_url(idea, group)).text
    assert "U wijzigt het advies" in form
    assert 'value="positive" checked' in form or 'checked id="position-0"' in form
    response = client.post(_url(idea, group), data={"position": "negative", "text": "Toch niet."})
    assert response.status_code == 302
    db.session.expire_all()
    [advice] = _advices(db)
    assert (advice.position, advice.text) == (AdvicePosition.NEGATIVE, "Toch niet.")


def test_a_second_coordinator_changes_the_same_advice(client, login, world, db):
    second = make_user()
    group = make_group(world.district, coordinator=world.resident, is_council=True)
    from buurtbegroting.models import GroupMembership, MemberRole

    group.memberships.append(GroupMembership(user=second, role=MemberRole.COORDINATOR))
    idea = make_idea(world.buurt)
    db.session.commit()
    login(world.resident)
    client.post(_url(idea, group), data={"position": "neutral", "text": "Eerste."})
    login(second)
    client.post(_url(idea, group), data={"position": "positive", "text": "Tweede."})
    db.session.expire_all()
    [advice] = _advices(db)
    assert (advice.text, advice.author_id) == ("Tweede.", second.id)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "Zonder keuze."}, "Kies positief, neutraal of negatief."),
        ({"position": "great", "text": "x"}, "Kies positief, neutraal of negatief."),
        ({"position": "positive", "text": "  "}, "Leg uw advies uit."),
        ({"position": "positive", "text": "x" * 5001}, "Gebruik hoogstens 5000 tekens."),
    ],
)
def test_bad_advice_is_refused_at_the_field(client, login, world, db, data, message):
    group = make_group(world.buurt, coordinator=world.resident, is_council=True)
    idea = make_idea(world.buurt)
    db.session.commit()
    login(world.resident)
    response = client.post(_url(idea, group), data=data)
    assert response.status_code == 422
    assert message in response.text
    assert _advices(db) == []
    if data.get("text", "").strip() and len(data["text"]) < 100:
        assert data["text"] in response.text


def test_html_in_advice_is_shown_escaped(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident, is_council=True)
    idea = make_idea(world.buurt, title="Speeltuin")
    db.session.commit()
    login(world.resident)
    text = "<script>alert('x')</script> <b>ja</b>"
    assert (
        client.post(_url(idea, group), data={"position": "positive", "text": text}).status_code
        == 302
    )
    page = client.get(f"/groepen/{group.id}").text
    assert "<script>alert" not in page
    assert "&lt;b&gt;ja&lt;/b&gt;" in page
    assert "Speeltuin" in page
    assert "Advies: Positief" in page


def test_advice_by_a_group_that_is_not_a_council_is_403(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident, is_council=False)
    idea = make_idea(world.buurt)
    db.session.commit()
    login(world.resident)
    assert client.get(_url(idea, group)).status_code == 403
    assert (
        client.post(_url(idea, group), data={"position": "positive", "text": "x"}).status_code
        == 403
    )
    assert _advices(db) == []


def test_advice_on_an_idea_outside_the_councils_area_is_403(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident, is_council=True)
    next_door = make_idea(world.other_buurt)
    far = make_idea(world.far_district)
    # A neighbourhood council has no say over an idea for the whole district either.
    whole_district = make_idea(world.district)
    db.session.commit()
    login(world.resident)
    for idea in (next_door, far, whole_district):
        assert client.get(_url(idea, group)).status_code == 403
        response = client.post(_url(idea, group), data={"position": "positive", "text": "x"})
        assert response.status_code == 403
    assert _advices(db) == []


def test_advice_by_a_plain_member_of_the_council_is_403(client, login, world, db):
    group = make_group(world.buurt, members=[world.resident], is_council=True)
    idea = make_idea(world.buurt)
    db.session.commit()
    login(world.resident)
    assert client.get(_url(idea, group)).status_code == 403
    assert (
        client.post(_url(idea, group), data={"position": "positive", "text": "x"}).status_code
        == 403
    )


def test_advice_by_an_administrator_outside_the_council_is_403(client, login, world, db):
    group = make_group(world.buurt, is_council=True)
    idea = make_idea(world.buurt)
    db.session.commit()
    login(world.admin)
    assert client.get(_url(idea, group)).status_code == 403


@pytest.mark.parametrize("status", [IdeaStatus.DRAFT, IdeaStatus.WITHDRAWN])
def test_advice_on_a_draft_or_withdrawn_idea_is_403(client, login, world, db, status):
    group = make_group(world.buurt, coordinator=world.resident, is_council=True)
    idea = make_idea(world.buurt, status=status)
    db.session.commit()
    login(world.resident)
    assert client.get(_url(idea, group)).status_code == 403


def test_advice_form_needs_login_and_an_existing_group_and_idea(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident, is_council=True)
    idea = make_idea(world.buurt)
    db.session.commit()
    response = client.get(_url(idea, group))
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    login(world.resident)
    assert client.get(f"/ideeen/{idea.id}/advies").status_code == 404
    assert client.get(f"/ideeen/{idea.id}/advies?groep=abc").status_code == 404
    assert client.get(f"/ideeen/{idea.id}/advies?groep=9999").status_code == 404
    assert client.get(f"/ideeen/9999/advies?groep={group.id}").status_code == 404


def test_unmarked_council_keeps_its_advice_but_cannot_give_more(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident, is_council=True)
    idea = make_idea(world.buurt)
    other = make_idea(world.buurt)
    db.session.commit()
    login(world.resident)
    client.post(_url(idea, group), data={"position": "positive", "text": "Ja."})
    login(world.admin)
    client.post(f"/groepen/{group.id}/wijkraad", data={"wijkraad": "0"})
    login(world.resident)
    assert client.get(_url(other, group)).status_code == 403
    assert len(_advices(db)) == 1
    assert "Ja." in client.get(f"/groepen/{group.id}").text


def test_group_page_hides_advice_on_ideas_that_were_withdrawn(client, world, db):
    group = make_group(world.buurt, is_council=True)
    idea = make_idea(world.buurt, status=IdeaStatus.WITHDRAWN, title="Weg")
    db.session.add(
        Advice(group=group, idea=idea, position=AdvicePosition.NEGATIVE, text="Verborgen advies")
    )
    db.session.commit()
    page = client.get(f"/groepen/{group.id}").text
    assert "Verborgen advies" not in page


# --- the macros other pages use ---------------------------------------------------------------

MACROS = (
    '{% from "groups/_advice.html" import advice_list, advice_links %}'
    "{{ advice_list(idea.advices) }}|{{ advice_links(groups, idea) }}"
)


def _render(app, idea, user=None):
    from flask_login import AnonymousUserMixin

    from buurtbegroting.groups.services import advice_groups

    with app.test_request_context("/"):
        groups = advice_groups(user or AnonymousUserMixin(), idea)
        return render_template_string(MACROS, idea=idea, groups=groups)


def test_advice_list_shows_group_link_label_text_and_date(app, world, db):
    group = make_group(world.buurt, is_council=True, name="Wijkraad Ruwaard")
    idea = make_idea(world.buurt)
    db.session.add_all(
        [
            Advice(group=group, idea=idea, position=AdvicePosition.NEGATIVE, text="Te duur <i>"),
        ]
    )
    db.session.commit()
    html = _render(app, idea).split("|")[0]
    assert f'<a href="/groepen/{group.id}">Wijkraad Ruwaard</a>' in html
    assert "Advies: Negatief" in html
    assert "Te duur &lt;i&gt;" in html
    assert "Gegeven op" in html


def test_advice_list_says_so_when_there_is_no_advice(app, world, db):
    idea = make_idea(world.buurt)
    db.session.commit()
    assert "Er is nog geen advies" in _render(app, idea)


def test_advice_links_offer_give_then_change_for_each_council_the_user_coordinates(app, world, db):
    district_council = make_group(
        world.district, coordinator=world.resident, is_council=True, name="Wijkraad Schadewijk"
    )
    buurt_council = make_group(
        world.buurt, coordinator=world.resident, is_council=True, name="Buurtraad"
    )
    make_group(world.other_buurt, coordinator=world.resident, is_council=True, name="Andere raad")
    make_group(world.buurt, coordinator=world.resident, name="Gewone groep")
    idea = make_idea(world.buurt)
    db.session.add(
        Advice(group=buurt_council, idea=idea, position=AdvicePosition.POSITIVE, text="Ja")
    )
    db.session.commit()
    links = _render(app, idea, world.resident).split("|")[1]
    assert f'href="/ideeen/{idea.id}/advies?groep={district_council.id}"' in links
    assert "Geef het advies van Wijkraad Schadewijk" in links
    assert "Wijzig het advies van Buurtraad" in links
    assert "Andere raad" not in links
    assert "Gewone groep" not in links


def test_advice_links_are_empty_for_members_and_visitors(app, world, db):
    member = make_user()
    make_group(world.buurt, members=[member], is_council=True)
    idea = make_idea(world.buurt)
    db.session.commit()
    assert _render(app, idea, member).split("|")[1].strip() == ""
    assert _render(app, idea).split("|")[1].strip() == ""
