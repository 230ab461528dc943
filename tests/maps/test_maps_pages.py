"""The SVG map on the area, ideas and idea pages; the spot of an idea; the API and .pb carry it."""

from __future__ import annotations

import json
import re

import pytest

from buurtbegroting.models import IdeaStatus
from tests.factories import (
    make_district,
    make_idea,
    make_municipality,
    make_neighbourhood,
    make_user,
)

DISTRICT = [[5.53, 51.745], [5.558, 51.745], [5.558, 51.772], [5.53, 51.772], [5.53, 51.745]]
EAST = [[5.544, 51.745], [5.558, 51.745], [5.558, 51.772], [5.544, 51.772], [5.544, 51.745]]
WEST = [[5.53, 51.745], [5.544, 51.745], [5.544, 51.772], [5.53, 51.772], [5.53, 51.745]]


def polygon(ring) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture()
def ruwaard(db):
    """A district with a boundary and two neighbourhoods with theirs."""
    make_municipality(boundary=None)
    district = make_district(code="WK082803", name="Ruwaard", boundary=polygon(DISTRICT))
    west = make_neighbourhood(
        district, code="BU08280300", name="Ruwaard-West", postcodes=(), boundary=polygon(WEST)
    )
    east = make_neighbourhood(
        district, code="BU08280301", name="Ruwaard-Oost", postcodes=(), boundary=polygon(EAST)
    )
    db.session.commit()
    return {"district": district, "west": west, "east": east}


def markers(page: str) -> list[tuple[str, str]]:
    """Return (number, title) of every marker in the SVG."""
    return re.findall(
        r'class="map-marker" data-number="(\d+)"[^>]* aria-label="Idee \1: ([^"]+)"', page
    )


def listed(page: str) -> list[tuple[str, str]]:
    """Return (number, title) of every item of the list next to the map."""
    return re.findall(
        r'data-number="(\d+)"><span class="visually-hidden">Idee \1: </span>([^<]+)</a>', page
    )


def test_area_page_draws_boundaries_and_numbers_ideas_as_the_list_does(client, db, ruwaard):
    located = make_idea(
        ruwaard["west"], title="Bankjes bij de speeltuin", latitude=51.75, longitude=5.535
    )
    make_idea(ruwaard["east"], title="Moestuin", latitude=51.76, longitude=5.55)
    make_idea(ruwaard["east"], title="Zonder plek")
    make_idea(
        ruwaard["east"], title="Concept", status=IdeaStatus.DRAFT, latitude=51.76, longitude=5.55
    )
    db.session.commit()
    page = client.get("/gebied/WK082803").get_data(as_text=True)
    assert '<svg class="map-svg"' in page and 'class="map-outline"' in page
    assert page.count('class="map-region"') == 2 and "<title>Ruwaard-Oost</title>" in page
    assert markers(page) == listed(page) == [("1", "Moestuin"), ("2", "Bankjes bij de speeltuin")]
    assert f'href="/ideeen/{located.id}"' in page
    assert "Zonder plek" not in page.split("<figure")[1].split("</figure>")[0]
    assert "/static/js/map.js" in page
    data = json.loads(
        re.search(r'<script type="application/json" class="map-data">(.*?)</script>', page).group(1)
    )
    assert data["bbox"] == [5.53, 51.745, 5.558, 51.772] and data["tiles"] is None
    assert 'data-number="1" data-lat="51.76" data-lon="5.55"' in page


def test_pages_without_a_map_do_not_load_the_map_script(client, db, ruwaard):
    make_neighbourhood(ruwaard["district"], code="BU08280302", name="Zonder grens", postcodes=())
    db.session.commit()
    assert "map.js" not in client.get("/").get_data(as_text=True)
    page = client.get("/gebied/BU08280302").get_data(as_text=True)
    assert "map.js" not in page and '<svg class="map-svg"' not in page


def test_ideas_list_map_shows_the_ideas_of_the_filter(client, db, ruwaard):
    other = make_district(code="WK082801", name="Centrum")
    make_idea(ruwaard["west"], title="In Ruwaard", latitude=51.75, longitude=5.535)
    make_idea(other, title="In Centrum", latitude=51.765, longitude=5.515)
    db.session.commit()
    page = client.get(f"/ideeen?gebied={ruwaard['district'].id}").get_data(as_text=True)
    assert markers(page) == [("1", "In Ruwaard")]
    assert "Kaart van Ruwaard" in page
    everything = client.get("/ideeen").get_data(as_text=True)
    assert sorted(t for _, t in markers(everything)) == ["In Centrum", "In Ruwaard"]
    assert markers(everything) == listed(everything)


def test_idea_page_shows_its_spot_or_says_it_has_none(client, db, ruwaard):
    located = make_idea(ruwaard["west"], title="Bankjes", latitude=51.75, longitude=5.535)
    loose = make_idea(ruwaard["west"], title="Heel de buurt")
    db.session.commit()
    page = client.get(f"/ideeen/{located.id}").get_data(as_text=True)
    assert markers(page) == [("1", "Bankjes")] and "map.js" in page
    page = client.get(f"/ideeen/{loose.id}").get_data(as_text=True)
    assert "Dit idee heeft geen plek op de kaart. Het gaat over Ruwaard-West." in page
    assert markers(page) == []


@pytest.fixture()
def draft(db, login, ruwaard):
    author = make_user(area=ruwaard["west"])
    idea = make_idea(ruwaard["west"], author=author, status=IdeaStatus.DRAFT)
    db.session.commit()
    login(author)
    return idea


def step4(client, idea, **fields):
    return client.post(f"/ideeen/{idea.id}/stap/4", data=fields, content_type="multipart/form-data")


def test_a_spot_inside_the_area_is_stored(client, db, draft):
    page = client.get(f"/ideeen/{draft.id}/stap/4").get_data(as_text=True)
    assert "data-map-picker" in page and 'id="latitude"' in page and "map.js" in page
    assert step4(client, draft, latitude="51,75", longitude=" 5.535 ").status_code == 302
    db.session.refresh(draft)
    assert (draft.latitude, draft.longitude) == (51.75, 5.535)
    assert "breedtegraad 51.75, lengtegraad 5.535" in client.get(
        f"/ideeen/{draft.id}/controleren"
    ).get_data(as_text=True)
    assert step4(client, draft, latitude="", longitude="").status_code == 302
    db.session.refresh(draft)
    assert draft.latitude is None and draft.longitude is None


def test_a_spot_outside_the_area_is_refused_at_the_field(client, db, draft):
    # Inside the district, but in the other neighbourhood.
    response = step4(
        client, draft, latitude="51.75", longitude="5.55", location_text="Bij de vijver"
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Deze plek ligt buiten Ruwaard-West." in page
    assert re.search(
        r'id="latitude"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="latitude"', page
    )
    assert 'value="Bij de vijver"' in page
    db.session.refresh(draft)
    assert draft.latitude is None and draft.location_text is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"latitude": "51.75"}, "Vul de breedtegraad en de lengtegraad allebei in"),
        ({"longitude": "5.535"}, "Vul de breedtegraad en de lengtegraad allebei in"),
        (
            {"latitude": "noord", "longitude": "5.535"},
            "Schrijf de breedtegraad als een aantal graden",
        ),
        ({"latitude": "91", "longitude": "5.535"}, "Schrijf de breedtegraad als een aantal graden"),
        (
            {"latitude": "nan", "longitude": "5.535"},
            "Schrijf de breedtegraad als een aantal graden",
        ),
        ({"latitude": "51.75", "longitude": "inf"}, "Schrijf de lengtegraad als een aantal graden"),
        (
            {"latitude": "51.75", "longitude": "1e999"},
            "Schrijf de lengtegraad als een aantal graden",
        ),
        ({"latitude": "5" * 10_000, "longitude": "5.535"}, "Gebruik hoogstens 20 tekens."),
        (
            {"latitude": "51.75\x00", "longitude": "5.535"},
            "Schrijf de breedtegraad als een aantal graden",
        ),
    ],
)
def test_bad_spots_are_refused_with_a_message(client, db, draft, fields, message):
    response = step4(client, draft, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.latitude is None


def test_any_spot_is_accepted_where_no_boundary_is_known(client, db, login):
    area = make_neighbourhood(postcodes=())
    author = make_user(area=area)
    idea = make_idea(area, author=author, status=IdeaStatus.DRAFT)
    db.session.commit()
    login(author)
    assert step4(client, idea, latitude="52.1", longitude="4.3").status_code == 302
    db.session.refresh(idea)
    assert idea.latitude == 52.1


def test_the_api_carries_the_spot(client, db, ruwaard):
    idea = make_idea(ruwaard["west"], latitude=51.75, longitude=5.535)
    make_idea(ruwaard["west"])
    db.session.commit()
    ideas = {i["id"]: i for i in client.get("/api/v1/ideas").get_json()["data"]}
    assert (ideas[idea.id]["latitude"], ideas[idea.id]["longitude"]) == (51.75, 5.535)
    assert [i["latitude"] for i in ideas.values() if i["id"] != idea.id] == [None]


def test_the_pb_file_has_latitude_and_longitude_project_columns(db, ruwaard):
    from buurtbegroting import tally
    from buurtbegroting.rounds.closing import build_election
    from tests.factories.rounds import make_round, put_on_ballot

    round_ = make_round([(ruwaard["west"], 1_000_000)])
    items = put_on_ballot(round_.areas[0], [300_000, 400_000])
    items[0].idea.latitude, items[0].idea.longitude = 51.75, 5.535
    db.session.flush()
    text = tally.write_pb(build_election(round_.areas[0], []))
    projects = text.split("PROJECTS\n")[1].split("VOTES\n")[0].splitlines()
    assert projects[0] == "project_id;cost;name;latitude;longitude"
    assert projects[1].endswith(";51.750000;5.535000")
    assert projects[2].endswith(";;")
    election = tally.parse_pb(text)
    assert election.projects[str(items[0].idea_id)].extra == {
        "latitude": "51.750000",
        "longitude": "5.535000",
    }
