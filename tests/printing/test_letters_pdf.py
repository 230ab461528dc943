"""Voting letters as PDF: codes read back in order, a scanned QR code opens the ballot, parts, errors."""

from __future__ import annotations

import csv
import io
import random

import pytest
from sqlalchemy import func, select

from buurtbegroting import printing
from buurtbegroting.domain.codes import format_code, generate_code, normalize_code
from buurtbegroting.models import CodeStatus, Role, VotingCode
from buurtbegroting.qr import QrMatrices, fixed_mask_code
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.rounds import issue_codes, make_round, put_on_ballot
from tests.jobs.support import download_result, job_id_of
from tests.printing.helpers import (
    page_count,
    page_text,
    printed_codes,
    scanned_links,
    zip_parts,
)


@pytest.fixture()
def admin(db, login):
    user = make_user(role=Role.ADMIN, email="drukker@oss.nl", locale="nl")
    db.session.commit()
    return login(user)


def _settings(app, round_area, **options):
    return printing.letter_settings(round_area, app.config, **options)


def test_qr_matrices_of_a_print_run_equal_the_qr_library():
    prefix = "https://oss.example/stem#"
    matrices = QrMatrices(prefix, 13)
    rng = random.Random(12)
    for _ in range(60):
        code = "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(13))
        reference = fixed_mask_code((prefix + code).encode(), matrices.version)
        rows = ["".join("1" if dark else "0" for dark in row) for row in reference.modules]
        assert matrices.rows(code) == rows


def test_every_code_is_printed_in_order_and_the_qr_code_opens_the_ballot(app, db, client, tmp_path):
    round_ = make_round(phase="voting")
    round_area = round_.areas[0]
    put_on_ballot(round_area, [1_000])
    made = issue_codes(round_area, 23)
    db.session.commit()
    settings = _settings(app, round_area)
    out = tmp_path / "letters.zip"
    done = []
    result = printing.write_letters_zip(
        iter(made), out, settings=settings, part_size=10, progress=done.append
    )
    assert result.count == 23 and result.pages == 23 and sum(done) == 23
    archive = zip_parts(out)
    assert archive.namelist() == [
        "letters-001.pdf",
        "letters-002.pdf",
        "letters-003.pdf",
        "codes.csv",
    ]
    pdfs = [archive.read(name) for name in archive.namelist()[:3]]
    assert [page_count(pdf) for pdf in pdfs] == [10, 10, 3]
    assert [code for pdf in pdfs for code in printed_codes(pdf)] == made
    text = page_text(pdfs[0], 0)
    assert "Gemeente" in text and round_.name in text and settings.vote_url in text
    rows = list(csv.reader(io.StringIO(archive.read("codes.csv").decode())))
    assert rows[0] == ["code", "area_code", "area_name", "url"]
    assert [normalize_code(r[0]) for r in rows[1:]] == made

    links = scanned_links(pdfs[1], 4)
    assert links == [settings.vote_url + "#" + made[14]]
    path, _hash, code = links[0].partition("#")
    assert path.endswith("/stem")
    page = client.get(path)
    assert page.status_code == 200 and "code-link.js" in page.text
    # The page's script posts the code from the fragment; do what it does.
    response = client.post("/stem", data={"code": code})
    assert response.status_code == 302
    ballot = client.get(response.headers["Location"])
    assert ballot.status_code == 200 and "Plan A" in ballot.text


def test_a_second_language_is_printed_on_the_back(app, db, tmp_path):
    round_ = make_round(phase="review")
    db.session.commit()
    settings = _settings(app, round_.areas[0], back_lang="en")
    codes = [generate_code() for _ in range(3)]
    printing.write_letters_zip(codes, tmp_path / "l.zip", settings=settings, part_size=5)
    pdf = zip_parts(tmp_path / "l.zip").read("letters-001.pdf")
    assert page_count(pdf) == 6
    front, back = page_text(pdf, 0), page_text(pdf, 1)
    assert "Uw stemcode" in front and "Lees deze brief" not in front
    assert "Read this letter in English on the back." in front
    assert "Your voting code" in back and "How to vote" in back
    assert printed_codes(pdf) == [c for c in codes for _side in (1, 2)]
    assert scanned_links(pdf, 1) == [settings.vote_url + "#" + codes[0]]


@pytest.mark.parametrize("part_size", [0, -1, "5000", 2.5, None, True])
def test_a_part_size_that_is_not_a_positive_whole_number_is_refused(app, db, tmp_path, part_size):
    round_ = make_round(phase="review")
    db.session.commit()
    out = tmp_path / "l.zip"
    with pytest.raises(printing.PrintRefused, match="heel getal boven 0"):
        printing.write_letters_zip(
            ["ABCDEFGHJKMN0"], out, settings=_settings(app, round_.areas[0]), part_size=part_size
        )
    assert not list(tmp_path.iterdir())


def test_an_empty_batch_and_a_missing_logo_are_refused(app, db, tmp_path):
    round_ = make_round(phase="review")
    db.session.commit()
    settings = _settings(app, round_.areas[0])
    with pytest.raises(printing.PrintRefused, match="niets om te drukken"):
        printing.write_letters_zip(iter([]), tmp_path / "l.zip", settings=settings, part_size=5)
    config = {**app.config, "MUNICIPALITY_LOGO": str(tmp_path / "missing.png")}
    with pytest.raises(printing.PrintRefused, match="missing.png bestaat niet"):
        printing.letter_settings(round_.areas[0], config)
    (tmp_path / "logo.svg").write_text("<svg/>")
    config["MUNICIPALITY_LOGO"] = str(tmp_path / "logo.svg")
    with pytest.raises(printing.PrintRefused, match="PNG- of JPEG"):
        printing.letter_settings(round_.areas[0], config)
    with pytest.raises(printing.PrintRefused, match="taal"):
        printing.letter_settings(round_.areas[0], app.config, back_lang="xx")
    assert not list(tmp_path.glob("*.zip*"))


def test_a_failure_half_way_leaves_no_file(app, db, tmp_path):
    round_ = make_round(phase="review")
    db.session.commit()
    settings = _settings(app, round_.areas[0])

    def codes():
        yield generate_code()
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        printing.write_letters_zip(codes(), tmp_path / "l.zip", settings=settings, part_size=5)
    assert not list(tmp_path.iterdir())


def test_the_codes_page_downloads_pdf_letters_once(app, db, client, admin):
    district = make_district()
    area = make_neighbourhood(district, postcodes=(), name="Ruwaard")
    round_ = make_round([(area, 1_000_000)], phase="review")
    db.session.commit()
    ra = round_.areas[0]
    page = client.get(f"/beheer/rondes/{round_.id}/codes")
    assert page.status_code == 200 and '<option selected value="pdf">' in page.text
    started = client.post(
        f"/beheer/rondes/{round_.id}/codes",
        data={"round_area_id": ra.id, "count": "4", "output": "pdf", "back_lang": "en"},
    )
    response = download_result(client, started)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    archive = zip_parts(response.data)
    response.close()
    assert archive.namelist() == ["letters-001.pdf", "codes.csv"]
    rows = list(csv.reader(io.StringIO(archive.read("codes.csv").decode())))[1:]
    pdf = archive.read("letters-001.pdf")
    assert page_count(pdf) == 8
    assert printed_codes(pdf)[::2] == [normalize_code(r[0]) for r in rows]
    assert [r[0] for r in rows] == [format_code(c) for c in printed_codes(pdf)[::2]]
    count = select(func.count()).select_from(VotingCode)
    assert db.session.scalar(count.where(VotingCode.status == CodeStatus.ISSUED)) == 4
    # Codes are handed out once: a second download is refused.
    assert client.post(f"/beheer/taken/{job_id_of(started)}/download").status_code == 303


@pytest.mark.parametrize(
    "data", [{"output": "docx"}, {"back_lang": "xx"}, {"output": "pdf", "back_lang": "nl "}]
)
def test_bad_choices_on_the_codes_page_are_refused_at_the_field(db, client, admin, data):
    round_ = make_round(phase="review")
    db.session.commit()
    response = client.post(
        f"/beheer/rondes/{round_.id}/codes",
        data={"round_area_id": round_.areas[0].id, "count": "3", **data},
    )
    assert response.status_code == 422
    assert "Kies een" in response.text
    assert db.session.scalar(select(func.count()).select_from(VotingCode)) == 0


def test_a_missing_logo_refuses_the_download_and_keeps_no_codes(
    app, db, client, admin, tmp_path, monkeypatch
):
    round_ = make_round(phase="review")
    db.session.commit()
    monkeypatch.setitem(app.config, "MUNICIPALITY_LOGO", str(tmp_path / "weg.png"))
    response = client.post(
        f"/beheer/rondes/{round_.id}/codes",
        data={"round_area_id": round_.areas[0].id, "count": "3", "output": "pdf"},
    )
    assert response.status_code == 422 and "weg.png bestaat niet" in response.text
    assert db.session.scalar(select(func.count()).select_from(VotingCode)) == 0


def test_the_command_writes_pdf_letters_with_the_csv_and_never_overwrites(
    app, db, runner, tmp_path
):
    district = make_district()
    area = make_neighbourhood(district, postcodes=(), name="Ruwaard")
    round_ = make_round([(area, 1_000_000)], phase="review")
    db.session.commit()
    ra = round_.areas[0]
    out, pdf = tmp_path / "codes.csv", tmp_path / "letters.zip"
    args = ["rounds", "codes", str(ra.id), "--count", "7", "--out", str(out), "--pdf", str(pdf)]
    result = runner.invoke(args=[*args, "--back-lang", "en"])
    assert result.exit_code == 0, result.output
    archive = zip_parts(pdf)
    assert archive.namelist() == ["letters-001.pdf", "codes.csv"]
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))[1:]
    letters = archive.read("letters-001.pdf")
    # Front and back per letter: every code once on its front, in the CSV's order.
    assert printed_codes(letters)[::2] == [normalize_code(r[0]) for r in rows]
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "exists already" in again.output


def test_the_command_refuses_a_missing_logo_before_any_code_is_made(
    app, db, runner, tmp_path, monkeypatch
):
    district = make_district()
    area = make_neighbourhood(district, postcodes=(), name="Ruwaard")
    round_ = make_round([(area, 1_000_000)], phase="review")
    db.session.commit()
    monkeypatch.setitem(app.config, "MUNICIPALITY_LOGO", str(tmp_path / "weg.png"))
    out, pdf = tmp_path / "codes.csv", tmp_path / "letters.zip"
    result = runner.invoke(
        args=[
            "rounds",
            "codes",
            str(round_.areas[0].id),
            "--count",
            "3",
            "--out",
            str(out),
            "--pdf",
            str(pdf),
        ]
    )
    assert result.exit_code != 0 and "weg.png" in result.output
    assert not out.exists() and not pdf.exists()
    assert db.session.scalar(select(func.count()).select_from(VotingCode)) == 0
