"""Indicators of the area monitor: list per area and year, and the CSV import."""

import pytest
from sqlalchemy import select

from buurtbegroting.extensions import db as _db
from buurtbegroting.models import AuditEntry, Indicator
from tests.factories import make_district, make_indicator

URL = "/beheer/indicatoren/importeren"
HEADER = "area_code;name;value;unit;municipal_average;year;source\n"


def indicators():
    _db.session.expire_all()
    return {
        (i.area.code, i.name, i.year): (i.value, i.municipal_average, i.unit, i.source)
        for i in _db.session.scalars(select(Indicator))
    }


@pytest.fixture()
def ruwaard(db):
    area = make_district(code="WK082803", name="Ruwaard")
    db.session.commit()
    return area


def test_list_filters_by_area_and_year(client, admin, db, ruwaard):
    other = make_district(code="WK082805", name="Schadewijk")
    make_indicator(ruwaard, name="Eenzaam", year=2024)
    make_indicator(ruwaard, name="Eenzaam", year=2025, value=51.5)
    make_indicator(other, name="Groen", year=2025)
    db.session.commit()
    page = client.get("/beheer/indicatoren").get_data(as_text=True)
    assert "Schadewijk" in page and "2024" in page
    filtered = client.get(f"/beheer/indicatoren?area={ruwaard.id}&year=2025").get_data(as_text=True)
    assert (
        "51,5" in filtered
        and "Groen" not in filtered
        and '<td data-label="Jaar">2024' not in filtered
    )
    assert client.get("/beheer/indicatoren?area=x&year=y").status_code == 200


def test_import_with_decimal_comma_and_empty_average(client, admin, ruwaard, upload):
    content = (
        HEADER
        + "WK082803;Zich eenzaam voelen;48,5;%;44,0;2025;Wijkmonitor\n"
        + "wk082803;Inwoners;12500;;;2025;CBS\n"
    )
    response = upload(URL, content)
    assert response.status_code == 302
    assert indicators() == {
        ("WK082803", "Zich eenzaam voelen", 2025): (48.5, 44.0, "%", "Wijkmonitor"),
        ("WK082803", "Inwoners", 2025): (12500.0, None, "", "CBS"),
    }


def test_import_updates_on_area_name_and_year(client, admin, db, ruwaard, upload):
    make_indicator(ruwaard, name="Eenzaam", year=2025, value=40.0, municipal_average=44.0)
    make_indicator(ruwaard, name="Eenzaam", year=2024, value=39.0)
    db.session.commit()
    content = HEADER + "WK082803;Eenzaam;42.5;%;44.0;2025;Wijkmonitor\n"
    assert upload(URL, content).status_code == 302
    result = indicators()
    assert result[("WK082803", "Eenzaam", 2025)][0] == 42.5
    assert result[("WK082803", "Eenzaam", 2024)][0] == 39.0
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "indicator.import"))
    assert entry.before["indicators"]["WK082803|Eenzaam|2025"] == {"value": 40.0}
    assert entry.after["indicators"]["WK082803|Eenzaam|2025"] == {"value": 42.5}
    assert entry.after["updated"] == 1 and entry.after["created"] == 0


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("WK082803;Eenzaam;veel;%;;2025;x\n", "“veel” in de kolom value is geen getal."),
        ("WK082803;Eenzaam;1;%;n.v.t.;2025;x\n", "in de kolom municipal_average is geen getal"),
        ("WK082803;Eenzaam;1;%;;twintig;x\n", "“twintig” is geen jaartal"),
        ("WK089999;Eenzaam;1;%;;2025;x\n", "Het gebied “WK089999” bestaat niet"),
        ("WK082803;;1;%;;2025;x\n", "De kolom name is leeg."),
        (f"WK082803;{'n' * 10000};1;%;;2025;x\n", "De kolom name is te lang"),
        ("WK082803;A;1;%;;2025;x\nWK082803;A;2;%;;2025;x\n", "staat al op regel 3"),
    ],
)
def test_bad_indicator_rows_write_nothing(client, admin, ruwaard, upload, count, rows, message):
    content = HEADER + "WK082803;Goed;1;%;;2025;x\n" + rows
    response = upload(URL, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Indicator) == 0 and count(AuditEntry) == 0


def test_indicator_import_with_wrong_header_is_refused(client, admin, ruwaard, upload, count):
    response = upload(URL, "gebied;naam;waarde\nWK082803;Eenzaam;1\n")
    assert response.status_code == 422
    assert "area_code;name;value;unit;municipal_average;year;source" in response.get_data(
        as_text=True
    )
    assert count(Indicator) == 0
