"""Campaigns: creating them, making codes once (ZIP and CLI), voiding, statistics, permissions."""

import csv
import io
import zipfile
from datetime import timedelta

from sqlalchemy import func, select

from buurtbegroting.cheques import services
from buurtbegroting.domain.codes import normalize_code
from buurtbegroting.models import (
    AuditEntry,
    CampaignAddressCount,
    Cheque,
    ChequeCampaign,
)
from tests.factories.cheques import make_campaign, today
from tests.jobs.support import download_result


def _form(**overrides):
    data = {
        "name": "Voorjaar 2027",
        "value": "7,50",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=41)).isoformat(),
        "scope": "all",
        "count_mode": "number",
        "cheque_count": "12",
    }
    data.update(overrides)
    return data


def test_create_a_campaign_with_a_number_of_cheques(client, db, login, world):
    login(world["admin"])
    form = client.get("/beheer/cheques/nieuw").get_data(as_text=True)
    assert 'value="7,50"' in form
    response = client.post("/beheer/cheques/nieuw", data=_form())
    assert response.status_code == 302
    campaign = db.session.scalar(select(ChequeCampaign).order_by(ChequeCampaign.id.desc()))
    assert campaign.cheque_count == 12 and campaign.value_cents == 750
    assert campaign.whole_municipality
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "cheques.campaign_created")
    )


def test_create_a_scoped_campaign_with_one_cheque_per_address(client, db, login, world):
    login(world["admin"])
    counts = f"buurt;adressen\n{world['east'].code};40\n{world['west'].code};25\n".encode()
    response = client.post(
        "/beheer/cheques/nieuw",
        data=_form(
            scope="areas",
            area_ids=[str(world["district"].id)],
            count_mode="addresses",
            cheque_count="",
            counts_file=(io.BytesIO(counts), "adressen.csv"),
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    campaign = db.session.scalar(select(ChequeCampaign).order_by(ChequeCampaign.id.desc()))
    assert campaign.cheque_count == 65 and not campaign.whole_municipality
    assert [a.id for a in campaign.areas] == [world["district"].id]
    assert db.session.scalar(select(func.count(CampaignAddressCount.id))) == 2


def test_a_bad_count_file_is_explained_line_by_line(client, login, world):
    login(world["admin"])
    response = client.post(
        "/beheer/cheques/nieuw",
        data=_form(
            count_mode="addresses",
            counts_file=(io.BytesIO(b"BU99999999;5\nXX;3\n"), "a.csv"),
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Regel 2: XX is geen buurtcode" in text


def test_campaign_needs_a_count_and_dates_in_order(client, login, world):
    login(world["admin"])
    response = client.post(
        "/beheer/cheques/nieuw",
        data=_form(cheque_count="", ends_on=(today() - timedelta(days=3)).isoformat()),
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef het aantal cheques." in text and "De laatste dag ligt vóór de eerste dag." in text


def test_codes_are_downloaded_once_as_a_zip_and_only_hashes_are_kept(client, db, login, world):
    campaign = make_campaign(count=12, name="Najaar 2027")
    db.session.commit()
    login(world["admin"])
    page = client.get(f"/beheer/cheques/{campaign.id}").get_data(as_text=True)
    assert "één keer" in page
    response = download_result(client, client.post(f"/beheer/cheques/{campaign.id}/codes"))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    rows = list(csv.DictReader(io.StringIO(archive.read(names[0]).decode())))
    assert len(rows) == 12 and rows[0]["value_eur"] == "7.50"
    sheet = archive.read(names[1]).decode()
    assert sheet.count("<svg") == 12 and rows[0]["code"] in sheet
    assert "/cheques/inwisselen?code=" in rows[0]["redeem_url"]
    stored = set(
        db.session.scalars(select(Cheque.code_hash).where(Cheque.campaign_id == campaign.id))
    )
    for row in rows:
        code = normalize_code(row["code"])
        assert services.cheque_hash(code) in stored
        assert code not in "".join(stored)
    again = client.post(f"/beheer/cheques/{campaign.id}/codes")
    assert again.status_code == 422
    assert "Alle cheques van deze ronde zijn gemaakt." in again.get_data(as_text=True)


def test_void_lost_cheques_and_make_them_again(client, db, login, world):
    campaign = world["campaign"]
    login(world["admin"])
    client.post(
        "/cheques/inwisselen",
        data={"codes-0": world["codes"][0], "actie": "bevestig", "idea_id": world["idea"].id},
    )
    missing = client.post(f"/beheer/cheques/{campaign.id}/vervallen", data={"reason": ""})
    assert missing.status_code == 422
    client.post(f"/beheer/cheques/{campaign.id}/vervallen", data={"reason": "Bestand kwijt"})
    counts = services.status_counts(campaign)
    assert counts["void"] == 19 and counts["used"] == 1
    old = client.post("/cheques/controleren", data={"code": world["codes"][1]}).json
    assert old["status"] == "void"
    response = download_result(client, client.post(f"/beheer/cheques/{campaign.id}/codes"))
    rows = list(
        csv.reader(
            io.StringIO(
                zipfile.ZipFile(io.BytesIO(response.data))
                .read(zipfile.ZipFile(io.BytesIO(response.data)).namelist()[0])
                .decode()
            )
        )
    )
    assert len(rows) == 1 + 19


def test_web_download_is_limited_and_points_to_the_command(
    app, client, db, login, world, monkeypatch
):
    campaign = make_campaign(count=30)
    db.session.commit()
    login(world["admin"])
    monkeypatch.setitem(app.config, "CHEQUE_WEB_MAX", 20)
    response = client.post(f"/beheer/cheques/{campaign.id}/codes")
    assert response.status_code == 422
    assert "flask cheques generate" in response.get_data(as_text=True)
    assert services.status_counts(campaign)["issued"] == 0


def test_cli_writes_the_csv_once_with_a_progress_bar(runner, db, tmp_path):
    campaign = make_campaign(count=25)
    db.session.commit()
    out = tmp_path / "codes.csv"
    result = runner.invoke(
        args=[
            "cheques",
            "generate",
            str(campaign.id),
            "--out",
            str(out),
            "--sheets",
            str(tmp_path / "print"),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "25 cheques written" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 25
    assert len(list((tmp_path / "print").glob("*.html"))) == 1
    again = runner.invoke(
        args=["cheques", "generate", str(campaign.id), "--out", str(tmp_path / "b.csv")]
    )
    assert again.exit_code != 0 and "every cheque" in again.output
    exists = runner.invoke(args=["cheques", "generate", str(campaign.id), "--out", str(out)])
    assert exists.exit_code != 0 and "exists already" in exists.output


def test_cli_leaves_nothing_when_the_file_cannot_be_written(runner, db, tmp_path):
    campaign = make_campaign(count=5)
    db.session.commit()
    result = runner.invoke(
        args=[
            "cheques",
            "generate",
            str(campaign.id),
            "--out",
            str(tmp_path / "no" / "such" / "x.csv"),
        ]
    )
    assert result.exit_code != 0
    db.session.expire_all()
    assert services.status_counts(campaign)["issued"] == 0


def test_statistics_page_chart_and_csv(client, db, login, world):
    idea = world["idea"]
    client.post(
        "/cheques/inwisselen",
        data={
            **{f"codes-{i}": c for i, c in enumerate(world["codes"][:3])},
            "actie": "bevestig",
            "idea_id": idea.id,
        },
    )
    login(world["admin"])
    page = client.get(f"/beheer/cheques/{world['campaign'].id}/statistieken").get_data(as_text=True)
    assert "Cijfers van Voorjaar 2027" in page and idea.title in page
    assert 'class="bar-redeemed"' in page and "15%" in page
    response = client.get(f"/beheer/cheques/{world['campaign'].id}/statistieken.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["issued"] == "20" and rows[0]["redeemed"] == "3"
    assert rows[1]["kind"] == "initiative" and rows[1]["euros"] == "22.50"
