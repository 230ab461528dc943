"""Join and leave a group; appoint and remove coordinators; what the group page shows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from buurtbegroting.models import (
    AuditEntry,
    GroupMembership,
    IdeaStatus,
    MemberRole,
    ThematicGroup,
)
from tests.factories import make_group, make_idea, make_user


def _members(db, group) -> dict[int, MemberRole]:
    rows = db.session.execute(
        select(GroupMembership.user_id, GroupMembership.role).where(
            GroupMembership.group_id == group.id
        )
    )
    return dict(rows.all())


# --- join ------------------------------------------------------------------------------------


def test_resident_joins_a_group(client, login, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    login(world.resident)
    page = client.get(f"/groepen/{group.id}").text
    assert "Word lid van deze groep" in page
    response = client.post(f"/groepen/{group.id}/lid-worden")
    assert response.status_code == 302
    assert _members(db, group)[world.resident.id] == MemberRole.MEMBER
    page = client.get(f"/groepen/{group.id}").text
    assert "U bent nu lid van" in page
    assert "Verlaat deze groep" in page
    assert "Word lid van deze groep" not in page


def test_joining_twice_is_refused_with_a_message_and_writes_nothing(client, login, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    login(world.resident)
    assert client.post(f"/groepen/{group.id}/lid-worden").status_code == 302
    second = client.post(f"/groepen/{group.id}/lid-worden")
    assert second.status_code == 422
    assert "U bent al lid van deze groep." in second.text
    count = db.session.scalar(
        select(func.count(GroupMembership.id)).where(GroupMembership.group_id == group.id)
    )
    assert count == 2


def test_anonymous_join_goes_to_login(client, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    response = client.post(f"/groepen/{group.id}/lid-worden")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]
    assert len(_members(db, group)) == 1


def test_ended_group_cannot_be_joined(client, login, world, db):
    group = make_group(world.buurt, end_date=date.today() - timedelta(days=1))
    db.session.commit()
    login(world.resident)
    page = client.get(f"/groepen/{group.id}").text
    assert "Word lid van deze groep" not in page
    assert "Gestopt op" in page
    response = client.post(f"/groepen/{group.id}/lid-worden")
    assert response.status_code == 422
    assert "Deze groep is gestopt" in response.text
    assert world.resident.id not in _members(db, group)


def test_group_ending_today_can_still_be_joined(client, login, world, db):
    group = make_group(world.buurt, end_date=date.today())
    db.session.commit()
    login(world.resident)
    assert client.post(f"/groepen/{group.id}/lid-worden").status_code == 302


def test_join_without_csrf_token_is_refused(csrf_app, client, login, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    login(world.resident)
    assert client.post(f"/groepen/{group.id}/lid-worden").status_code == 400
    assert world.resident.id not in _members(db, group)


def test_join_missing_group_is_404(client, login, world):
    login(world.resident)
    assert client.post("/groepen/4242/lid-worden").status_code == 404


# --- leave ------------------------------------------------------------------------------------


def test_member_leaves(client, login, world, db):
    group = make_group(world.buurt, members=[world.resident])
    db.session.commit()
    login(world.resident)
    response = client.post(f"/groepen/{group.id}/verlaten")
    assert response.status_code == 302
    assert world.resident.id not in _members(db, group)


def test_non_member_cannot_leave(client, login, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    login(world.resident)
    response = client.post(f"/groepen/{group.id}/verlaten")
    assert response.status_code == 422
    assert "U bent geen lid van deze groep." in response.text


def test_last_coordinator_cannot_leave_while_others_remain(client, login, world, db):
    member = make_user()
    group = make_group(world.buurt, coordinator=world.resident, members=[member])
    db.session.commit()
    login(world.resident)
    response = client.post(f"/groepen/{group.id}/verlaten")
    assert response.status_code == 422
    assert "U bent de enige coördinator van deze groep" in response.text
    assert _members(db, group)[world.resident.id] == MemberRole.COORDINATOR


def test_a_coordinator_may_leave_when_another_coordinator_remains(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident)
    other = make_user()
    group.memberships.append(GroupMembership(user=other, role=MemberRole.COORDINATOR))
    db.session.commit()
    login(world.resident)
    assert client.post(f"/groepen/{group.id}/verlaten").status_code == 302
    assert _members(db, group) == {other.id: MemberRole.COORDINATOR}


def test_when_the_last_member_leaves_the_group_ends_and_stays_visible(client, login, world, db):
    group = make_group(world.buurt, coordinator=world.resident)
    idea = make_idea(world.buurt, group=group, title="Bankjes")
    db.session.commit()
    login(world.resident)
    response = client.post(f"/groepen/{group.id}/verlaten")
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.memberships == []
    assert group.end_date == date.today()
    page = client.get(f"/groepen/{group.id}")
    assert page.status_code == 200
    assert "Deze groep heeft geen leden meer." in page.text
    assert "Gestopt" in page.text
    assert "Bankjes" in page.text
    assert idea.group_id == group.id
    # Nobody can take over the empty group (it might be a council).
    stranger = make_user()
    db.session.commit()
    login(stranger)
    assert client.post(f"/groepen/{group.id}/lid-worden").status_code == 422


def test_a_later_end_date_becomes_today_when_the_last_member_leaves(client, login, world, db):
    soon = date.today() + timedelta(days=3)
    group = make_group(world.buurt, coordinator=world.resident, end_date=soon)
    db.session.commit()
    login(world.resident)
    client.post(f"/groepen/{group.id}/verlaten")
    db.session.refresh(group)
    assert group.end_date == date.today()


def test_an_end_date_that_passed_stays_when_the_last_member_leaves(client, login, world, db):
    past = date.today() - timedelta(days=3)
    group = make_group(world.buurt, coordinator=world.resident, end_date=past)
    db.session.commit()
    login(world.resident)
    assert client.post(f"/groepen/{group.id}/verlaten").status_code == 302
    db.session.refresh(group)
    assert group.end_date == past


# --- roles ------------------------------------------------------------------------------------


def _membership(group, user) -> GroupMembership:
    return next(m for m in group.memberships if m.user_id == user.id)


def test_coordinator_appoints_another_coordinator(client, login, world, db):
    member = make_user(display_name="Bert")
    group = make_group(world.buurt, coordinator=world.resident, members=[member])
    db.session.commit()
    login(world.resident)
    page = client.get(f"/groepen/{group.id}").text
    assert "Maak Bert coördinator" in page
    response = client.post(
        f"/groepen/{group.id}/leden/{_membership(group, member).id}/rol",
        data={"role": "coordinator"},
    )
    assert response.status_code == 302
    assert _members(db, group)[member.id] == MemberRole.COORDINATOR
    # Now the founder may step down.
    response = client.post(
        f"/groepen/{group.id}/leden/{_membership(group, world.resident).id}/rol",
        data={"role": "member"},
    )
    assert response.status_code == 302
    assert _members(db, group)[world.resident.id] == MemberRole.MEMBER
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_the_last_coordinator_cannot_be_removed(client, login, world, db):
    member = make_user()
    group = make_group(world.buurt, coordinator=world.resident, members=[member])
    db.session.commit()
    login(world.resident)
    response = client.post(
        f"/groepen/{group.id}/leden/{_membership(group, world.resident).id}/rol",
        data={"role": "member"},
    )
    assert response.status_code == 422
    assert "Een groep heeft altijd een coördinator nodig." in response.text
    assert _members(db, group)[world.resident.id] == MemberRole.COORDINATOR


def test_a_role_that_does_not_exist_is_refused(client, login, world, db):
    member = make_user()
    group = make_group(world.buurt, coordinator=world.resident, members=[member])
    db.session.commit()
    login(world.resident)
    response = client.post(
        f"/groepen/{group.id}/leden/{_membership(group, member).id}/rol", data={"role": "owner"}
    )
    assert response.status_code == 422
    assert "Kies coördinator of lid." in response.text
    assert _members(db, group)[member.id] == MemberRole.MEMBER


def test_plain_member_cannot_appoint_coordinators(client, login, world, db):
    member = make_user()
    group = make_group(world.buurt, members=[world.resident, member])
    db.session.commit()
    login(world.resident)
    for target in (member, world.resident):
        response = client.post(
            f"/groepen/{group.id}/leden/{_membership(group, target).id}/rol",
            data={"role": "coordinator"},
        )
        assert response.status_code == 403
    assert _members(db, group)[world.resident.id] == MemberRole.MEMBER
    assert "Maak " not in client.get(f"/groepen/{group.id}").text


def test_anonymous_role_change_goes_to_login(client, world, db):
    member = make_user()
    group = make_group(world.buurt, members=[member])
    db.session.commit()
    response = client.post(
        f"/groepen/{group.id}/leden/{_membership(group, member).id}/rol",
        data={"role": "coordinator"},
    )
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_membership_of_another_group_is_404(client, login, world, db):
    mine = make_group(world.buurt, coordinator=world.resident)
    other = make_group(world.buurt, members=[make_user()])
    db.session.commit()
    login(world.resident)
    response = client.post(
        f"/groepen/{mine.id}/leden/{other.memberships[1].id}/rol", data={"role": "coordinator"}
    )
    assert response.status_code == 404


def test_admin_appoints_a_coordinator_and_it_is_audited(client, login, world, db):
    member = make_user()
    group = make_group(world.buurt, members=[member])
    db.session.commit()
    login(world.admin)
    response = client.post(
        f"/groepen/{group.id}/leden/{_membership(group, member).id}/rol",
        data={"role": "coordinator"},
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "group.role"
    assert entry.after == {"role": "coordinator"}


# --- the group page ------------------------------------------------------------------------


def test_group_page_shows_display_names_but_never_email_addresses(client, login, world, db):
    member = make_user(display_name="Cor", email="cor.geheim@example.nl")
    group = make_group(world.buurt, coordinator=world.resident, members=[member])
    db.session.commit()
    for viewer in (None, world.resident, world.admin):
        if viewer is not None:
            login(viewer)
        page = client.get(f"/groepen/{group.id}").text
        assert "Cor" in page
        assert "Anna de Vries" in page
        assert "cor.geheim@example.nl" not in page
        assert world.resident.email not in page
        assert '<th scope="row">Cor</th>' in page


def test_group_page_lists_public_ideas_only(client, world, db):
    group = make_group(world.buurt)
    make_idea(world.buurt, group=group, title="Zichtbaar idee")
    make_idea(world.buurt, group=group, title="Geheim concept", status=IdeaStatus.DRAFT)
    make_idea(world.buurt, group=group, title="Ingetrokken", status=IdeaStatus.WITHDRAWN)
    db.session.commit()
    page = client.get(f"/groepen/{group.id}").text
    assert "Zichtbaar idee" in page
    assert "Geheim concept" not in page
    assert "Ingetrokken" not in page


def test_missing_group_page_is_404(client, world):
    assert client.get("/groepen/999").status_code == 404


def test_group_page_in_english(client, world, db):
    group = make_group(world.buurt)
    db.session.commit()
    client.set_cookie("lang", "en")
    page = client.get(f"/groepen/{group.id}").text
    assert "Members (1)" in page
    assert "Thematic groups" in page


def test_group_without_members_counts_as_ended(app, world, db):
    from buurtbegroting.permissions import is_group_ended

    group = ThematicGroup(name="Leeg", area=world.buurt, free_theme="x", description="")
    assert is_group_ended(group)
