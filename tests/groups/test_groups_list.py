"""The list of groups: order, ended groups, the area filter, and a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from buurtbegroting.models import Advice, AdvicePosition, GroupMembership
from tests.factories import make_group, make_idea, make_user
from tests.querycount import count_statements


def test_running_groups_come_before_ended_ones_which_are_marked(client, world, db):
    make_group(world.buurt, name="Aa gestopt", end_date=date.today() - timedelta(days=1))
    make_group(world.buurt, name="Zz loopt", end_date=date.today() + timedelta(days=5))
    make_group(world.buurt, name="Mm loopt")
    db.session.commit()
    page = client.get("/groepen").text
    assert page.index("Mm loopt") < page.index("Zz loopt") < page.index("Aa gestopt")
    assert "Gestopt op" in page
    assert "Tot en met" in page
    assert "Gevonden groepen: 3" in page


def test_list_shows_area_theme_and_member_count(client, world, db):
    make_group(
        world.buurt,
        name="Groen",
        spearhead=world.plan.spearheads[0],
        free_theme=None,
        members=[make_user(), make_user()],
    )
    make_group(world.other_buurt, name="Koken", free_theme="Samen koken")
    db.session.commit()
    page = client.get("/groepen").text
    assert "Speerpunt: Groen en spelen" in page
    assert "Eigen thema: Samen koken" in page
    assert "Leden: 3" in page
    assert "Ruwaard" in page


def test_filter_by_area_includes_the_areas_below_it(client, world, db):
    make_group(world.buurt, name="In de buurt")
    make_group(world.district, name="In de wijk")
    make_group(world.other_buurt, name="Andere buurt")
    make_group(world.far_district, name="Ver weg")
    db.session.commit()
    page = client.get(f"/groepen?gebied={world.district.id}").text
    assert "In de buurt" in page and "In de wijk" in page and "Andere buurt" in page
    assert "Ver weg" not in page
    page = client.get(f"/groepen?gebied={world.buurt.id}").text
    assert "In de buurt" in page
    assert "In de wijk" not in page and "Andere buurt" not in page
    assert f'<option selected value="{world.buurt.id}">' in page


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_unknown_area_in_the_filter_gets_a_message(client, world, db, value):
    make_group(world.buurt, name="Toch zichtbaar")
    db.session.commit()
    response = client.get(f"/groepen?gebied={value}")
    assert response.status_code == 422
    assert "Kies een gebied uit de lijst." in response.text
    assert "Toch zichtbaar" in response.text


def test_empty_list_says_so_and_invites_to_log_in(client, world):
    page = client.get("/groepen").text
    assert "Er zijn nog geen groepen in dit gebied." in page
    assert "om een groep te starten of lid te worden" in page


def test_logged_in_resident_sees_the_start_button(client, login, world):
    login(world.resident)
    assert 'href="/groepen/nieuw"' in client.get("/groepen").text


def _make_groups(world, db, n: int) -> None:
    areas = [world.buurt, world.other_buurt, world.district, world.far_district]
    for i in range(n):
        make_group(
            areas[i % len(areas)],
            members=[make_user()],
            spearhead=world.plan.spearheads[i % 2] if i % 3 == 0 else None,
            end_date=date.today() - timedelta(days=1) if i % 5 == 0 else None,
            is_council=i % 7 == 0,
        )
    db.session.commit()


def _statements_for(client, db, url: str) -> int:
    with count_statements(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("logged_in", [False, True])
def test_list_runs_the_same_number_of_statements_for_5_and_50_groups(
    client, login, world, db, logged_in
):
    if logged_in:
        login(world.resident)
    _make_groups(world, db, 5)
    small = _statements_for(client, db, "/groepen")
    small_filtered = _statements_for(client, db, f"/groepen?gebied={world.district.id}")
    _make_groups(world, db, 45)
    large = _statements_for(client, db, "/groepen")
    large_filtered = _statements_for(client, db, f"/groepen?gebied={world.district.id}")
    assert small == large
    assert small_filtered == large_filtered
    assert large <= 8


def test_group_page_runs_the_same_number_of_statements_for_few_and_many_members(client, world, db):
    group = make_group(world.buurt, is_council=True, members=[make_user()])
    idea = make_idea(world.buurt, group=group)
    db.session.add(Advice(group=group, idea=idea, position=AdvicePosition.NEUTRAL, text="x"))
    db.session.commit()
    few = _statements_for(client, db, f"/groepen/{group.id}")
    for _ in range(30):
        group.memberships.append(GroupMembership(user=make_user()))
    for _ in range(10):
        idea = make_idea(world.buurt, group=group)
        db.session.add(Advice(group=group, idea=idea, position=AdvicePosition.NEUTRAL, text="x"))
    db.session.commit()
    many = _statements_for(client, db, f"/groepen/{group.id}")
    assert few == many
