"""Importing area boundaries from GeoJSON: all or nothing, every rejected feature listed, audited."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from buurtbegroting.models import Area, Role
from tests.factories import make_district, make_neighbourhood, make_user

URL = "/beheer/gebieden/grenzen-importeren"
RING = [[5.53, 51.745], [5.558, 51.745], [5.558, 51.772], [5.53, 51.772], [5.53, 51.745]]
SMALL = [[5.53, 51.745], [5.54, 51.745], [5.54, 51.772], [5.53, 51.772], [5.53, 51.745]]


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feature(code, ring=RING, key="statcode", kind="Polygon"):
    coordinates = [ring] if kind == "Polygon" else ring
    return {
        "type": "Feature",
        "properties": {key: code},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


@pytest.fixture()
def send(client):
    """Post a boundary file (and optionally the code property) to the import page."""

    def _send(content: bytes, filename="grenzen.geojson", code_property=""):
        fields = MultiDict({"file": FileStorage(io.BytesIO(content), filename=filename)})
        fields.add("code_property", code_property)
        boundary, body = encode_multipart(fields)
        return client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")

    return _send


@pytest.fixture()
def ruwaard(db):
    district = make_district(code="WK082803", name="Ruwaard")
    make_neighbourhood(district, code="BU08280300", name="Ruwaard-Oost", postcodes=())
    db.session.commit()
    return district


def boundary_of(db, code):
    db.session.expire_all()
    return db.session.scalar(select(Area.boundary).where(Area.code == code))


def test_cbs_file_sets_the_boundaries_and_is_audited(
    client, admin, db, send, ruwaard, audit_entries
):
    page = client.get(URL).get_data(as_text=True)
    assert "Grenzen importeren" in page and "EPSG:28992" in page
    response = send(geojson(feature("WK082803"), feature("BU08280300", SMALL, key="buurtcode")))
    assert response.status_code == 302
    assert json.loads(boundary_of(db, "WK082803")) == {"type": "Polygon", "coordinates": [RING]}
    assert json.loads(boundary_of(db, "BU08280300"))["coordinates"] == [SMALL]
    [entry] = audit_entries("area.boundaries")
    assert entry.after["added"] == 2 and entry.after["codes"] == ["WK082803", "BU08280300"]
    assert entry.after["file"] == "grenzen.geojson" and entry.actor_label == "beheer@oss.nl"
    assert "2 toegevoegd" in client.get("/beheer/gebieden").get_data(as_text=True)
    # The same file again changes nothing; a new shape replaces the old one.
    send(geojson(feature("WK082803"), feature("BU08280300", SMALL)))
    assert audit_entries("area.boundaries")[-1].after["unchanged"] == 2
    send(geojson(feature("WK082803", SMALL)))
    assert audit_entries("area.boundaries")[-1].after["replaced"] == 1
    assert json.loads(boundary_of(db, "WK082803"))["coordinates"] == [SMALL]


def test_a_named_code_property_and_a_multipolygon_are_accepted(admin, db, send, ruwaard):
    response = send(
        geojson(feature("WK082803", [[RING], [SMALL]], key="GEBIEDCODE", kind="MultiPolygon")),
        code_property="GEBIEDCODE",
    )
    assert response.status_code == 302
    assert json.loads(boundary_of(db, "WK082803"))["type"] == "MultiPolygon"


def test_one_bad_feature_imports_nothing_and_every_bad_feature_is_listed(
    admin, db, send, ruwaard, audit_entries
):
    bow_tie = [[5.53, 51.745], [5.558, 51.772], [5.558, 51.745], [5.53, 51.772], [5.53, 51.745]]
    response = send(
        geojson(
            feature("WK082803"),
            feature("BU08289999"),
            {
                "type": "Feature",
                "properties": {"statcode": "BU08280300"},
                "geometry": {"type": "Point", "coordinates": [5.5, 51.7]},
            },
            feature("WK082801", RING[:3]),
            feature("WK082802", RING[:-1]),
            feature("WK082804", bow_tie),
            feature("WK082805", [[500, 51], [501, 51], [501, 52], [500, 51]]),
            feature("nonsense"),
        )
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Er is niets geïmporteerd: 7 features hebben fouten." in page
    for text in (
        "Het gebied “BU08289999” bestaat niet.",
        "De geometrie is een “Point”, geen Polygon of MultiPolygon.",
        "Een rand heeft 3 punten. Er zijn er minstens 4 nodig.",
        "Een rand is niet gesloten",
        "Een rand kruist zichzelf.",
        "Een coördinaat ligt buiten de wereld",
        "“NONSENSE” is geen CBS-code.",
    ):
        assert text in page, text
    assert boundary_of(db, "WK082803") is None
    assert audit_entries("area.boundaries") == []


def test_rd_new_coordinates_are_refused_with_how_to_convert(admin, db, send, ruwaard):
    rd = [[161000, 421000], [162000, 421000], [162000, 422000], [161000, 421000]]
    response = send(geojson(feature("WK082803", rd)))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Rijksdriehoekscoördinaten" in page and "ogr2ogr -t_srs EPSG:4326" in page
    assert boundary_of(db, "WK082803") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Het bestand is leeg."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe garbage", "de tekst is geen JSON"),
        (b"code;name\nWK082803;Ruwaard\n", "de tekst is geen JSON"),
        (b'{"type": "Point", "coordinates": [5.5, 51.7]}', "geen GeoJSON-FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "Het bestand heeft geen features."),
        (b"[]", "geen GeoJSON-FeatureCollection"),
    ],
)
def test_files_that_are_no_geojson_are_refused_at_the_field(
    admin, db, send, ruwaard, content, message
):
    response = send(content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert boundary_of(db, "WK082803") is None


def test_a_file_over_the_limit_is_refused(admin, db, send, ruwaard, monkeypatch):
    monkeypatch.setattr("buurtbegroting.admin.views.boundaries.MAX_BYTES", 1024 * 1024)
    response = send(b" " * (1024 * 1024 + 10) + geojson(feature("WK082803")))
    assert response.status_code == 422
    assert "Het bestand is te groot" in response.get_data(as_text=True)


def test_no_file_and_a_bad_property_name_are_refused_at_their_fields(
    client, admin, db, ruwaard, send
):
    response = client.post(URL, data={"code_property": ""})
    assert response.status_code == 422
    assert "Kies een GeoJSON-bestand." in response.get_data(as_text=True)
    response = send(geojson(feature("WK082803")), code_property="code; DROP")
    assert response.status_code == 422
    assert "zoals statcode" in response.get_data(as_text=True)
    assert boundary_of(db, "WK082803") is None


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.REVIEWER])
def test_only_who_may_edit_the_area_tree_may_import_boundaries(
    client, db, login, send, ruwaard, role
):
    login(make_user(role=role))
    db.session.commit()
    response = send(geojson(feature("WK082803")))
    assert response.status_code in (302, 403)
    assert boundary_of(db, "WK082803") is None
