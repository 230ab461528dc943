"""Postcodes: list with search and pages, and the import in both layouts."""

import pytest
from sqlalchemy import select

from buurtbegroting.extensions import db as _db
from buurtbegroting.models import AuditEntry, Postcode
from tests.factories import make_district, make_neighbourhood

URL = "/beheer/postcodes/importeren"


def mapping():
    _db.session.expire_all()
    return {p.postcode: p.area.code for p in _db.session.scalars(select(Postcode))}


@pytest.fixture()
def buurten(db):
    district = make_district(code="WK082803", name="Ruwaard")
    oost = make_neighbourhood(district, code="BU08280300", name="Ruwaard-Oost", postcodes=())
    west = make_neighbourhood(district, code="BU08280301", name="Ruwaard-West", postcodes=())
    db.session.commit()
    return oost, west


def test_list_searches_and_pages(client, admin, db, buurten):
    oost, west = buurten
    for n in range(60):
        db.session.add(Postcode(postcode=f"{5300 + n}", area=oost))
    db.session.add(Postcode(postcode="5999AB", area=west))
    db.session.commit()
    page = client.get("/beheer/postcodes").get_data(as_text=True)
    assert "61 postcodes gevonden." in page and "Pagina 1 van 2" in page
    assert "/beheer/postcodes?page=2" in page
    page2 = client.get("/beheer/postcodes?page=2").get_data(as_text=True)
    assert "5999 AB" in page2
    found = client.get("/beheer/postcodes?q=5999+ab").get_data(as_text=True)
    assert "1 postcodes gevonden." in found and "Ruwaard-West" in found
    by_name = client.get("/beheer/postcodes?q=west").get_data(as_text=True)
    assert "5999 AB" in by_name and "5300" not in by_name
    assert client.get("/beheer/postcodes?page=abc").status_code == 200
    assert client.get("/beheer/postcodes?page=999").status_code == 200
    assert client.get("/beheer/postcodes?q=%25_").status_code == 200


def test_simple_import_adds_and_changes_and_is_audited(client, admin, db, buurten, upload):
    oost, _west = buurten
    db.session.add(Postcode(postcode="5344", area=oost))
    db.session.add(Postcode(postcode="5345", area=oost))
    db.session.commit()
    content = "postcode;area_code\n5344;BU08280301\n5341 ab;BU08280300\n5345;BU08280300\n"
    response = upload(URL, content)
    assert response.status_code == 302
    assert mapping() == {"5344": "BU08280301", "5341AB": "BU08280300", "5345": "BU08280300"}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "postcode.import"))
    assert entry.before == {"postcodes": {"5344": "BU08280300"}}
    assert entry.after["postcodes"] == {"5344": "BU08280301", "5341AB": "BU08280300"}
    assert (entry.after["created"], entry.after["updated"], entry.after["unchanged"]) == (1, 1, 1)
    flashed = client.get("/beheer/postcodes").get_data(as_text=True)
    assert "1 toegevoegd, 1 gewijzigd, 1 niet veranderd" in flashed


def test_cbs_layout_import_aggregates_house_numbers(client, admin, db, buurten, upload):
    content = (
        "PC6;Huisnummer;Buurt2023;Wijk2023;Gemeente2023\n"
        "5341AB;1;08280300;082803;0828\n"
        "5341AB;3;08280300;082803;0828\n"
        "5341AB;5;08280301;082803;0828\n"
        "5341AC;2;08280301;082803;0828\n"
    )
    response = upload(URL, content, filename="pc6hnr20230801_gwb.csv")
    assert response.status_code == 302
    assert mapping() == {"5341AB": "BU08280300", "5341AC": "BU08280301"}
    page = client.get("/beheer/postcodes").get_data(as_text=True)
    assert "2 toegevoegd" in page
    assert "1 postcodes hebben adressen in meer dan één buurt" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "postcode.import"))
    assert entry.after["layout"] == "cbs" and entry.after["split"] == 1
    assert entry.after["file"] == "pc6hnr20230801_gwb.csv"


def test_cbs_layout_with_unknown_buurt_reports_the_lines(client, admin, db, buurten, upload, count):
    content = (
        "PC6;Huisnummer;Buurt2022;Wijk2022;Gemeente2022\n"
        "5341AB;1;08280300;082803;0828\n"
        "5341AB;3;08289999;082899;0828\n"
        "5341AB;5;08289999;082899;0828\n"
    )
    response = upload(URL, content)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count("Het gebied “BU08289999” bestaat niet") == 2
    assert count(Postcode) == 0 and count(AuditEntry) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("postcode;area_code\n1234XY Z;BU08280300\n", "is geen postcode"),
        ("postcode;area_code\n5344;WK082803\n", "is geen code van een buurt"),
        ("postcode;area_code\n5344;BU08289999\n", "Het gebied “BU08289999” bestaat niet"),
        ("postcode;area_code\n5344;BU08280300\n5344;BU08280301\n", "staat al op regel 3"),
        ("postcode;area_code;extra\n5344;BU08280300\n", "kolommen in plaats van 3"),
        ("pc;buurt\n5344;BU08280300\n", "De eerste regel moet de namen"),
        ("", "Het bestand is leeg."),
        (b"\x00\x01\x02binary", "Dit is geen CSV-bestand"),
    ],
)
def test_bad_postcode_files_write_nothing(client, admin, buurten, upload, count, content, message):
    good_first = "postcode;area_code\n5341AB;BU08280300\n"
    if isinstance(content, str) and content.startswith("postcode;area_code\n"):
        content = good_first + content.split("\n", 1)[1]
    response = upload(URL, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Postcode) == 0 and count(AuditEntry) == 0
