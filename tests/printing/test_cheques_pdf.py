"""Cheque sheets as PDF: eight a page, codes read back in order, a scanned QR code opens the redeem page."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from buurtbegroting import printing
from buurtbegroting.cheques import services
from buurtbegroting.domain.codes import format_code, generate_code, normalize_code
from buurtbegroting.models import Cheque, Role
from buurtbegroting.printing import drawing
from buurtbegroting.qr import fixed_mask_code, matrix_bits
from buurtbegroting.urls import external_url
from tests.factories import make_user
from tests.factories.cheques import make_campaign
from tests.jobs.support import download_result, job_id_of
from tests.printing.helpers import page_count, page_text, printed_codes, scanned_links, zip_parts


def _make(db, campaign):
    made = services.generate_cheques(
        campaign, None, lambda code: external_url("cheques.redeem", code=code)
    )
    db.session.commit()
    return made


def test_sheets_hold_eight_cheques_a_page_and_a_scan_opens_the_redeem_page(
    app, db, client, tmp_path
):
    campaign = make_campaign(count=19, name="Voorjaar 2027")
    made = _make(db, campaign)
    settings = printing.cheque_settings(campaign, app.config)
    out = tmp_path / "cheques.zip"
    result = printing.write_cheques_zip(
        made, out, campaign=campaign, settings=settings, part_size=16, base_name="cheques-1"
    )
    assert result.count == 19 and result.pages == 3
    archive = zip_parts(out)
    assert archive.namelist() == [
        "cheques-1-print-001.pdf",
        "cheques-1-print-002.pdf",
        "cheques-1.csv",
    ]
    first, second = (archive.read(n) for n in archive.namelist()[:2])
    assert [page_count(first), page_count(second)] == [2, 1]
    assert printed_codes(first) + printed_codes(second) == [c.code for c in made]
    text = page_text(first, 0)
    assert "Buurtcheque Oss" in text and "€ 7,50" in text and "#1" in text
    rows = list(csv.DictReader(io.StringIO(archive.read("cheques-1.csv").decode())))
    assert [normalize_code(r["code"]) for r in rows] == [c.code for c in made]
    assert rows[0]["value_eur"] == "7.50"

    links = scanned_links(first, 1)
    assert sorted(links) == sorted(c.url for c in made[8:16])
    page = client.get(links[0].removeprefix("http://localhost"))
    assert page.status_code == 200
    code = links[0].rpartition("=")[2]
    assert f'value="{code}"' in page.text


def test_the_campaign_page_downloads_pdf_sheets_once(app, db, client, login):
    admin = make_user(role=Role.ADMIN)
    campaign = make_campaign(count=9)
    db.session.commit()
    login(admin)
    page = client.get(f"/beheer/cheques/{campaign.id}").text
    assert 'name="uitvoer" value="pdf"' in page
    started = client.post(f"/beheer/cheques/{campaign.id}/codes", data={"uitvoer": "pdf"})
    response = download_result(client, started)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    archive = zip_parts(response.data)
    response.close()
    names = archive.namelist()
    assert len(names) == 2 and names[0].endswith("-print-001.pdf") and names[1].endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(archive.read(names[1]).decode())))
    assert printed_codes(archive.read(names[0])) == [normalize_code(r["code"]) for r in rows]
    assert len(rows) == 9
    # The job's links hold the code in groups; a scan of the first sheet gives them back.
    assert sorted(scanned_links(archive.read(names[0]), 0)) == sorted(
        r["redeem_url"] for r in rows[:8]
    )
    # Codes are handed out once: a second download is refused.
    assert client.post(f"/beheer/taken/{job_id_of(started)}/download").status_code == 303
    again = client.post(f"/beheer/cheques/{campaign.id}/codes", data={"uitvoer": "pdf"})
    assert again.status_code == 422


@pytest.mark.parametrize("output", ["docx", "", "PDF"])
def test_an_unknown_format_is_refused_and_no_cheque_is_made(db, client, login, output):
    admin = make_user(role=Role.ADMIN)
    campaign = make_campaign(count=3)
    db.session.commit()
    login(admin)
    response = client.post(f"/beheer/cheques/{campaign.id}/codes", data={"uitvoer": output})
    assert response.status_code == 422 and "Kies een soort bestand" in response.text
    assert db.session.scalar(select(func.count()).select_from(Cheque)) == 0


def test_a_missing_logo_refuses_the_sheets_before_any_cheque_is_made(
    app, db, client, login, tmp_path, monkeypatch
):
    admin = make_user(role=Role.ADMIN)
    campaign = make_campaign(count=3)
    db.session.commit()
    login(admin)
    monkeypatch.setitem(app.config, "MUNICIPALITY_LOGO", str(tmp_path / "weg.png"))
    response = client.post(f"/beheer/cheques/{campaign.id}/codes", data={"uitvoer": "pdf"})
    assert response.status_code == 422 and "weg.png bestaat niet" in response.text
    assert db.session.scalar(select(func.count()).select_from(Cheque)) == 0


def test_links_with_the_code_in_groups_are_drawn_as_the_qr_library_makes_them():
    prefix = "https://oss.example/cheque?code="
    painter = drawing.QrPainter(prefix, 13)
    for _ in range(20):
        url = prefix + format_code(generate_code())
        reference = fixed_mask_code(url.encode())
        assert painter.matrix(url) == (reference.modules_count, matrix_bits(reference))
    # A link that does not start with the prefix is encoded in full, and still right.
    other = fixed_mask_code(b"https://elders.example/x")
    assert painter.matrix("https://elders.example/x") == (other.modules_count, matrix_bits(other))
