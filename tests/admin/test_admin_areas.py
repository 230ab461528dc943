"""Areas: the tree, editing name and parent, and the CSV import (all or nothing)."""

import re

import pytest
from sqlalchemy import select

from buurtbegroting.models import Area, AreaLevel, AuditEntry
from tests.factories import make_district, make_municipality, make_neighbourhood

URL = "/beheer/gebieden/importeren"


def area(db, code):
    db.session.expire_all()
    return db.session.scalar(select(Area).where(Area.code == code))


def test_tree_shows_municipality_districts_and_neighbourhoods_with_codes(client, admin, db):
    district = make_district(code="WK082803", name="Ruwaard")
    make_neighbourhood(district, code="BU08280300", name="Ruwaard-Oost", postcodes=())
    db.session.commit()
    page = client.get("/beheer/gebieden").get_data(as_text=True)
    assert page.index("GM0828") < page.index("WK082803") < page.index("BU08280300")
    assert "Ruwaard-Oost" in page
    assert "Gebieden inlezen" in page


def test_edit_area_changes_name_and_parent_and_is_audited(client, admin, db, audit_entries):
    old = make_district(code="WK082801", name="Oud")
    new = make_district(code="WK082802", name="Nieuw")
    buurt = make_neighbourhood(old, code="BU08280101", name="Buurtje", postcodes=())
    db.session.commit()
    page = client.get(f"/beheer/gebieden/{buurt.id}/bewerken").get_data(as_text=True)
    assert "Nieuw (WK082802)" in page and "Oss (GM0828)" not in page
    response = client.post(
        f"/beheer/gebieden/{buurt.id}/bewerken", data={"name": "Buurt Noord", "parent_id": new.id}
    )
    assert response.status_code == 302
    changed = area(db, "BU08280101")
    assert changed.name == "Buurt Noord" and changed.parent.code == "WK082802"
    [entry] = audit_entries("area.update")
    assert entry.before == {"name": "Buurtje", "parent": "WK082801"}
    assert entry.after == {"name": "Buurt Noord", "parent": "WK082802"}
    assert entry.actor_label == "beheer@oss.nl"


def test_edit_area_refuses_a_parent_of_the_wrong_level(client, admin, db, count):
    district = make_district(code="WK082801")
    other = make_neighbourhood(district, code="BU08280102", postcodes=())
    buurt = make_neighbourhood(district, code="BU08280101", name="Buurtje", postcodes=())
    db.session.commit()
    response = client.post(
        f"/beheer/gebieden/{buurt.id}/bewerken", data={"name": "Nieuwe naam", "parent_id": other.id}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies een gebied uit de lijst." in page
    assert 'value="Nieuwe naam"' in page
    assert area(db, "BU08280101").name == "Buurtje"
    assert count(AuditEntry) == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Vul een naam in."), ("x" * 10000, "Gebruik hoogstens 120 tekens.")],
)
def test_edit_area_with_bad_name_keeps_input_and_explains(client, admin, db, name, message):
    district = make_district(code="WK082801", name="Oud")
    db.session.commit()
    response = client.post(
        f"/beheer/gebieden/{district.id}/bewerken",
        data={"name": name, "parent_id": district.parent_id},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and 'id="name-error"' in page
    assert message in page
    assert area(db, "WK082801").name == "Oud"


def test_edit_municipality_has_no_parent(client, admin, db):
    gm = make_municipality()
    db.session.commit()
    response = client.post(f"/beheer/gebieden/{gm.id}/bewerken", data={"name": "Gemeente Oss"})
    assert response.status_code == 302
    assert area(db, "GM0828").name == "Gemeente Oss"


def test_edit_unknown_area_is_404(client, admin):
    assert client.get("/beheer/gebieden/999/bewerken").status_code == 404


def test_import_creates_areas_in_any_order_and_is_audited(client, admin, db, upload, audit_entries):
    content = (
        "code;name;parent_code\n"
        "BU08280300;Ruwaard-Oost;WK082803\n"  # the parent comes later
        "WK082803;Ruwaard;GM0828\n"
        "GM0828;Oss;\n"
    )
    response = upload(URL, content)
    assert response.status_code == 302
    buurt = area(db, "BU08280300")
    assert buurt.level == AreaLevel.NEIGHBOURHOOD
    assert buurt.parent.code == "WK082803" and buurt.parent.parent.code == "GM0828"
    [entry] = audit_entries("area.import")
    assert entry.after["created"] == 3 and entry.after["updated"] == 0
    assert entry.after["areas"]["BU08280300"] == {"name": "Ruwaard-Oost", "parent": "WK082803"}
    assert entry.after["file"] == "data.csv"
    page = client.get("/beheer/gebieden").get_data(as_text=True)
    assert "3 toegevoegd, 0 gewijzigd" in page


def test_import_updates_existing_areas_by_code(client, admin, db, upload, audit_entries):
    make_district(code="WK082801", name="Oud")
    make_district(code="WK082802", name="Andere wijk")
    make_neighbourhood(district=None, code="BU08280101", name="Buurt", postcodes=())
    db.session.commit()
    content = (
        "code,name,parent_code\n"
        "WK082801,Nieuwe naam,GM0828\n"
        "WK082802,Andere wijk,GM0828\n"
        "BU08280101,Buurt,WK082802\n"
    )
    assert upload(URL, content).status_code == 302
    assert area(db, "WK082801").name == "Nieuwe naam"
    assert area(db, "BU08280101").parent.code == "WK082802"
    [entry] = audit_entries("area.import")
    assert (entry.after["created"], entry.after["updated"], entry.after["unchanged"]) == (0, 2, 1)
    assert entry.before["areas"]["WK082801"] == {"name": "Oud"}
    assert entry.after["areas"]["WK082801"] == {"name": "Nieuwe naam"}


def test_import_accepts_cp1252(client, admin, db, upload):
    content = "code;name;parent_code\nGM0828;Oss;\nWK082803;Café-wijk;GM0828\n".encode("cp1252")
    assert upload(URL, content).status_code == 302
    assert area(db, "WK082803").name == "Café-wijk"


BAD_FILES = [
    ("", "Het bestand is leeg."),
    ("code;name;parent_code\n", "geen regels daaronder"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "Dit is geen CSV-bestand"),
    ("gemeente;wijk\nGM0828;Oss\n", "De eerste regel moet de namen van de kolommen hebben"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_import_of_a_bad_file_explains_and_writes_nothing(
    client, admin, db, upload, count, content, message
):
    response = upload(URL, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Area) == 0 and count(AuditEntry) == 0


def test_import_without_a_file_asks_for_one(client, admin, count):
    response = client.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Kies een CSV-bestand." in response.get_data(as_text=True)


def test_import_above_the_size_limit_is_refused(client, admin, upload, count):
    big = "code;name;parent_code\n" + "GM0828;Oss;\n" * (5 * 1024 * 1024 // 12 + 10)
    response = upload(URL, big)
    assert response.status_code == 422
    assert "Het bestand is te groot. Stuur maximaal 5 MB per keer." in response.get_data(
        as_text=True
    )
    assert count(Area) == 0


def test_import_reports_every_bad_row_and_imports_nothing(client, admin, db, upload, count):
    make_municipality()
    db.session.commit()
    content = (
        "code;name;parent_code\n"
        "WK082801;Goed;GM0828\n"
        "WK082801;Dubbel;GM0828\n"
        "XX;Fout;GM0828\n"
        f"WK082802;{'x' * 10000};GM0828\n"
        "BU08289901;Wees;WK082899\n"
        "WK082803;Wijk;BU08280101\n"
    )
    response = upload(URL, content)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Er is niets ingelezen: 5 regels hebben een fout." in page
    for line, text in [
        (3, "staat al op regel 2"),
        (4, "“XX” is geen CBS-code"),
        (5, "De kolom name is te lang: maximaal 120 tekens."),
        (6, "Het gebied “WK082899” bestaat niet"),
        (7, "Een wijk hoort bij een gemeente"),
    ]:
        row = rf'<td data-label="Regel" class="num">{line}</td><td data-label="Probleem">[^<]*'
        assert re.search(row + re.escape(text), page), (line, text)
    assert "x" * 200 not in page
    assert count(Area) == 1 and count(AuditEntry) == 0
