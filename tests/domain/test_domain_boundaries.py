"""Reading boundary files: CBS layout, any code property, and every bad feature reported."""

from __future__ import annotations

import json

import pytest

from buurtbegroting.domain import boundaries as gj

RING = [[5.50, 51.75], [5.54, 51.75], [5.54, 51.78], [5.50, 51.78], [5.50, 51.75]]


def feature(properties, geometry=None):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or {"type": "Polygon", "coordinates": [RING]},
    }


def collection(*features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


def test_cbs_layout_reads_statcode_and_prefers_buurtcode_over_wijkcode():
    data = collection(
        feature({"statcode": "WK082803", "statnaam": "Ruwaard"}),
        feature({"buurtcode": "BU08280300", "wijkcode": "WK082803", "gemeentecode": "GM0828"}),
        feature({"gemeentecode": "gm0828"}),
    )
    boundaries, errors = gj.parse(data)
    assert errors == []
    assert [b.code for b in boundaries] == ["WK082803", "BU08280300", "GM0828"]
    assert boundaries[0].shape[0][0][0] == (5.5, 51.75)


def test_a_named_code_property_is_the_only_one_read():
    data = collection(feature({"CODE_GEBIED": "WK082803", "statcode": "BU08280300"}))
    [boundary], errors = gj.parse(data, "CODE_GEBIED")
    assert boundary.code == "WK082803" and errors == []
    _, errors = gj.parse(collection(feature({"statcode": "WK082803"})), "CODE_GEBIED")
    assert errors == [(1, "", "code_missing", {"property": "CODE_GEBIED"})]


def test_every_bad_feature_is_reported_with_its_number_and_the_good_ones_kept():
    point = {"type": "Point", "coordinates": [5.5, 51.7]}
    open_ring = {"type": "Polygon", "coordinates": [RING[:-1]]}
    data = collection(
        feature({"statcode": "WK082801"}),
        feature({"statcode": "XX123"}),
        feature({"statcode": "WK082802"}, point),
        feature({"statcode": "WK082803"}, open_ring),
        feature({"statcode": "WK082801"}),
        feature({}),
        "not a feature",
        feature(
            {"statcode": "WK082804"}, {"type": "Polygon", "coordinates": [[[161000, 421000]] * 4]}
        ),
    )
    boundaries, errors = gj.parse(data)
    assert [b.code for b in boundaries] == ["WK082801"]
    assert [(n, code) for n, _, code, _ in errors] == [
        (2, "code_invalid"),
        (3, "not_polygon"),
        (4, "ring_not_closed"),
        (5, "duplicate_code"),
        (6, "code_missing"),
        (7, "not_feature"),
        (8, "rd_new"),
    ]
    assert errors[1][3] == {"type": "Point"}
    assert errors[3][3] == {"first": 1}


def test_one_feature_on_its_own_is_accepted():
    data = json.dumps(feature({"statcode": "BU08280300"})).encode()
    [boundary], _ = gj.parse(data)
    assert boundary.code == "BU08280300"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "not_json"),
        (b"\xff\xfe\x00\x00", "not_json"),
        (b"code;name\nWK082803;Ruwaard\n", "not_json"),
        (b'{"type": "FeatureCollection", ', "not_json"),
        (b"[1, 2, 3]", "not_geojson"),
        (b'"FeatureCollection"', "not_geojson"),
        (b'{"type": "Polygon", "coordinates": []}', "not_geojson"),
        (b'{"type": "FeatureCollection", "features": {}}', "not_geojson"),
        (b'{"type": "FeatureCollection", "features": []}', "no_features"),
        (b"[" * 100_000 + b"]" * 100_000, "not_json"),
    ],
)
def test_files_that_are_no_geojson_feature_collection_are_refused_as_a_whole(data, code):
    with pytest.raises(gj.FileProblem) as caught:
        gj.parse(data)
    assert caught.value.code == code


def test_a_file_that_declares_rd_new_is_refused_as_a_whole():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    with pytest.raises(gj.FileProblem) as caught:
        gj.parse(collection(feature({"statcode": "WK082803"}), crs=crs))
    assert caught.value.code == "rd_new"


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    with pytest.raises(gj.FileProblem) as caught:
        gj.parse(collection(feature({"statcode": "WK082803"})), max_bytes=100)
    assert caught.value.code == "too_large"


def test_property_names_an_administrator_may_type():
    assert gj.valid_property_name("statcode")
    assert gj.valid_property_name("properties.code-2")
    assert not gj.valid_property_name("")
    assert not gj.valid_property_name("code;drop")
    assert not gj.valid_property_name("x" * 41)
