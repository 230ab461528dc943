"""Voting codes: generation, the once-only export, re-issue, the command and who may do it."""

import csv
import io
import itertools
import zipfile

import pytest
from sqlalchemy import String, Text, func, select

from buurtbegroting.domain.codes import format_code, generate_code, normalize_code
from buurtbegroting.models import AuditEntry, CodeStatus, Role, VotingCode
from buurtbegroting.rounds import codes, services
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.rounds import issue_codes, make_round, put_on_ballot
from tests.jobs.support import download_result


@pytest.fixture()
def admin(db, login):
    user = make_user(role=Role.ADMIN, email="beheer@oss.nl", locale="en")
    db.session.commit()
    return login(user)


@pytest.fixture()
def setup_round(db):
    """A round before voting, with two areas."""
    district = make_district()
    first = make_neighbourhood(district, postcodes=(), name="Ruwaard")
    second = make_neighbourhood(district, postcodes=(), name="Schadewijk")
    round_ = make_round([(first, 1_000_000), (second, 500_000)], phase="review")
    db.session.commit()
    return round_


def _count(db, status=None):
    query = select(func.count()).select_from(VotingCode)
    if status is not None:
        query = query.where(VotingCode.status == status)
    return db.session.scalar(query)


def _everything_stored(db) -> str:
    """Return every value of every string, text and JSON column of every table, as one text."""
    parts = []
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns if isinstance(c.type, String | Text) or "JSON" in repr(c.type)
        ]
        if columns:
            for row in db.session.execute(select(*columns)):
                parts.extend(str(value) for value in row if value is not None)
    return "\n".join(parts)


def test_csv_has_a_row_per_code_and_the_database_only_hashes(app, db, setup_round):
    ra = setup_round.areas[0]
    made = codes.generate_codes(ra, 40)
    text = codes.export_csv(ra, made)
    db.session.commit()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["code", "area_code", "area_name", "url"]
    assert len(rows) == 41 and len(set(made)) == 40
    for code, row in zip(made, rows[1:], strict=True):
        assert row[0] == format_code(code) and normalize_code(row[0]) == code
        assert row[1:3] == [ra.area.code, "Ruwaard"]
        assert row[3].endswith("/stem#" + code) and row[3].startswith("http")
    assert _count(db, CodeStatus.ISSUED) == 40
    stored = _everything_stored(db)
    assert not [c for c in made if c in stored or format_code(c) in stored]
    hashes = set(db.session.scalars(select(VotingCode.code_hash)))
    assert hashes == {services.voting_code_hash(c) for c in made}


def test_generating_is_logged_without_the_codes(db, setup_round):
    ra = setup_round.areas[1]
    made = codes.generate_codes(ra, 3)
    codes.record_export(ra, 3, ["codes.csv"], None)
    db.session.commit()
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["round.codes_generated", "round.codes_exported"]
    assert not any(c in _everything_stored(db) for c in made)


def test_a_hash_that_exists_already_gets_a_new_code(db, setup_round, monkeypatch):
    ra = setup_round.areas[0]
    existing = codes.generate_codes(ra, 1)[0]
    fresh = [generate_code() for _ in range(3)]
    supply = itertools.chain([existing, existing], fresh)
    monkeypatch.setattr(codes.letters, "generate_code", lambda: next(supply))
    made = codes.generate_codes(ra, 2)
    db.session.commit()
    assert existing not in made and len(set(made)) == 2
    assert _count(db) == 3


@pytest.mark.parametrize("count", [0, -5, 1_000_000, "3"])
def test_counts_outside_the_range_are_refused(db, setup_round, count):
    with pytest.raises(codes.CodesRefused) as refused:
        codes.generate_codes(setup_round.areas[0], count)
    assert refused.value.field == "count"
    assert _count(db) == 0


def test_no_codes_are_made_once_voting_has_started(db):
    round_ = make_round()
    db.session.commit()
    with pytest.raises(codes.CodesRefused):
        codes.generate_codes(round_.areas[0], 5)
    assert _count(db) == 0


def test_ten_thousand_random_codes_match_none_of_fifty_thousand(db, setup_round):
    codes.generate_codes(setup_round.areas[0], 50_000)
    db.session.commit()
    tried = [services.voting_code_hash(generate_code()) for _ in range(10_000)]
    found = 0
    for start in range(0, len(tried), 1_000):
        chunk = tried[start : start + 1_000]
        found += db.session.scalar(
            select(func.count()).select_from(VotingCode).where(VotingCode.code_hash.in_(chunk))
        )
    assert found == 0
    # Random strings almost never pass the check character at all.
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    import random

    rng = random.Random(7)
    passing = 0
    for _ in range(10_000):
        text = "".join(rng.choice(alphabet) for _ in range(13))
        try:
            normalize_code(text)
            passing += 1
        except Exception:  # noqa: BLE001 - InvalidCode
            pass
    assert passing < 10_000 / 32 * 1.5


def test_zip_download_has_the_csv_and_the_letters(app, db, client, admin, setup_round):
    ra = setup_round.areas[0]
    started = client.post(
        f"/beheer/rondes/{setup_round.id}/codes", data={"round_area_id": ra.id, "count": "5"}
    )
    response = download_result(client, started)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["codes.csv", "letters.html"]
    rows = list(csv.reader(io.StringIO(archive.read("codes.csv").decode())))[1:]
    letters = archive.read("letters.html").decode()
    assert len(rows) == 5 and letters.count('<article class="letter">') == 5
    assert letters.count("<svg") == 5 and "@page" in letters
    for row in rows:
        assert "".join(f"<span>{g}</span>" for g in row[0].split("-")) in letters
        assert row[3] in letters
    assert _count(db, CodeStatus.ISSUED) == 5
    assert not any(normalize_code(r[0]) in _everything_stored(db) for r in rows)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"round.codes_generated", "round.codes_exported"} <= actions


def test_large_exports_split_the_letters_into_files():
    parts = codes.letter_files([str(i) for i in range(2_500)])
    assert [name for name, _ in parts] == [
        "letters-001.html",
        "letters-002.html",
        "letters-003.html",
    ]
    assert [len(p) for _, p in parts] == [1_000, 1_000, 500]


@pytest.mark.parametrize("count", ["0", "-3", "1000000", "veel", "", "200001"])
def test_bad_counts_on_the_page_are_shown_at_the_field(db, client, admin, setup_round, count):
    ra = setup_round.areas[0]
    response = client.post(
        f"/beheer/rondes/{setup_round.id}/codes", data={"round_area_id": ra.id, "count": count}
    )
    assert response.status_code == 422
    assert 'id="count-error"' in response.text
    assert _count(db) == 0


def test_an_area_of_another_round_is_refused(db, client, admin, setup_round):
    other = make_round(phase="review")
    db.session.commit()
    response = client.post(
        f"/beheer/rondes/{setup_round.id}/codes",
        data={"round_area_id": other.areas[0].id, "count": "3"},
    )
    assert response.status_code == 422
    assert 'id="round_area_id-error"' in response.text
    assert _count(db) == 0


def test_the_page_refuses_bulk_codes_during_voting(db, client, admin):
    round_ = make_round()
    db.session.commit()
    page = client.get(f"/beheer/rondes/{round_.id}/codes")
    assert page.status_code == 200 and "Replace lost codes one at a time" in page.text
    response = client.post(
        f"/beheer/rondes/{round_.id}/codes",
        data={"round_area_id": round_.areas[0].id, "count": "3"},
    )
    assert response.status_code == 422 and _count(db) == 0
    assert 'class="error-summary"' in response.text and "Re-issue lost codes" in response.text


def test_overview_counts_issued_used_and_void(db, client, admin):
    round_ = make_round()
    ra = round_.areas[0]
    items = put_on_ballot(ra, [1000])
    plain = issue_codes(ra, 4)
    db.session.commit()
    services.cast_ballot(ra, {items[0].id: 1}, code=services.find_code(round_, plain[0]))
    codes.reissue_code(ra, plain[1], admin, "Brief kwijt")
    db.session.commit()
    assert codes.code_counts(round_)[ra.id] == {
        "issued": 3,
        "used": 1,
        "void": 1,
        "expired": 0,
        "total": 5,
    }
    page = client.get(f"/beheer/rondes/{round_.id}/codes")
    assert page.status_code == 200 and "Download once." not in page.text


# --- re-issue ----------------------------------------------------------------------------


@pytest.fixture()
def voting_round(db):
    district = make_district()
    first = make_neighbourhood(district, postcodes=())
    second = make_neighbourhood(district, postcodes=())
    round_ = make_round([(first, 1_000_000), (second, 1_000_000)])
    items = put_on_ballot(round_.areas[0], [1000, 2000])
    plain = issue_codes(round_.areas[0], 3)
    elsewhere = issue_codes(round_.areas[1], 1)
    db.session.commit()
    return {
        "round": round_,
        "ra": round_.areas[0],
        "items": items,
        "codes": plain,
        "other": elsewhere,
    }


def test_reissue_voids_the_old_code_and_the_new_one_votes(app, db, voting_round):
    r = voting_round
    actor = make_user(role=Role.ADMIN)
    new = codes.reissue_code(r["ra"], r["codes"][0].lower(), actor, "Brief kwijt, gebeld op 3 mei")
    db.session.commit()
    old = db.session.scalar(
        select(VotingCode).where(VotingCode.code_hash == services.voting_code_hash(r["codes"][0]))
    )
    assert old.status == CodeStatus.VOID and old.void_reason.startswith("Brief kwijt")
    assert old.replaced_by_id is not None
    with pytest.raises(services.VoteRefused):
        services.find_code(r["round"], r["codes"][0])
    code = services.find_code(r["round"], format_code(new))
    services.cast_ballot(r["ra"], {r["items"][0].id: 1}, code=code)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.code_reissued"))
    assert entry.actor_id == actor.id and entry.after["reason"] == "Brief kwijt, gebeld op 3 mei"
    assert new not in _everything_stored(db)


def test_reissue_refuses_used_void_foreign_and_malformed_codes(app, db, voting_round):
    r = voting_round
    actor = make_user(role=Role.ADMIN)
    services.cast_ballot(
        r["ra"], {r["items"][0].id: 1}, code=services.find_code(r["round"], r["codes"][0])
    )
    codes.reissue_code(r["ra"], r["codes"][1], actor, "kwijt")
    other_round = make_round()
    foreign = issue_codes(other_round.areas[0], 1)[0]
    db.session.commit()
    before = _count(db)
    typo = r["codes"][2][:-1] + ("A" if r["codes"][2][-1] != "A" else "B")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for text, message in (
            (r["codes"][0], "has been used"),
            (r["codes"][1], "void already"),
            (r["other"][0], "another area"),
            (foreign, "another voting round"),
            (typo, "typing error"),
            ("ABC", "13 letters"),
            (generate_code(), "unknown"),
        ):
            with pytest.raises(codes.CodesRefused) as refused:
                codes.reissue_code(r["ra"], text, actor, "kwijt")
            assert message in str(refused.value.messages[0]), text
            assert refused.value.field == "code"
            db.session.rollback()
    assert _count(db) == before


def test_reissue_page_shows_the_new_code_once_with_its_letter(db, client, admin, voting_round):
    r = voting_round
    url = f"/beheer/rondes/{r['round'].id}/codes/opnieuw"
    assert client.get(url).status_code == 200
    response = client.post(
        url, data={"round_area_id": r["ra"].id, "code": r["codes"][2], "reason": "Brief kwijt"}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "css/letters.css" in response.text and "<style" not in response.text
    assert 'style="' not in response.text and "<svg" in response.text
    new = db.session.scalar(
        select(VotingCode)
        .where(VotingCode.status == CodeStatus.ISSUED)
        .order_by(VotingCode.id.desc())
    )
    shown = [
        normalize_code(g)
        for g in [response.text.split('<p class="letter-code"', 1)[1].split("</p>", 1)[0]]
        for g in [g.split(">", 1)[1].replace("<span>", "").replace("</span>", "")]
    ]
    assert services.voting_code_hash(shown[0]) == new.code_hash
    assert _count(db, CodeStatus.VOID) == 1


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("code", {"code": "nonsense"}),
        ("code", {"code": ""}),
        ("reason", {"reason": ""}),
        ("reason", {"reason": "x" * 201}),
        ("round_area_id", {"round_area_id": "999999"}),
    ],
)
def test_reissue_page_shows_bad_input_at_the_field(db, client, admin, voting_round, field, data):
    r = voting_round
    form = {"round_area_id": r["ra"].id, "code": r["codes"][2], "reason": "Brief kwijt", **data}
    response = client.post(f"/beheer/rondes/{r['round'].id}/codes/opnieuw", data=form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert _count(db, CodeStatus.VOID) == 0


def test_reissue_of_a_used_code_is_shown_at_the_field(db, client, admin, voting_round):
    r = voting_round
    services.cast_ballot(
        r["ra"], {r["items"][1].id: 1}, code=services.find_code(r["round"], r["codes"][2])
    )
    db.session.commit()
    response = client.post(
        f"/beheer/rondes/{r['round'].id}/codes/opnieuw",
        data={"round_area_id": r["ra"].id, "code": r["codes"][2], "reason": "kwijt"},
    )
    assert response.status_code == 422 and "cannot be replaced" in response.text
    assert 'id="code-error"' in response.text


# --- the command -------------------------------------------------------------------------


def test_command_writes_the_csv_and_letters_and_never_overwrites(db, runner, setup_round, tmp_path):
    ra = setup_round.areas[0]
    out, letters = tmp_path / "codes.csv", tmp_path / "brieven.html"
    args = ["rounds", "codes", str(ra.id), "--count", "12", "--out", str(out)]
    result = runner.invoke(args=[*args, "--letters", str(letters)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 13
    text = letters.read_text(encoding="utf-8")
    assert text.count('<article class="letter">') == 12 and text.count("<html") == 1
    assert _count(db) == 12
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "exists already" in again.output
    assert _count(db) == 12
    assert len(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))) == 13


def test_command_joins_letter_parts_into_one_document(
    db, runner, setup_round, tmp_path, monkeypatch
):
    monkeypatch.setattr(codes.letters, "LETTERS_PER_FILE", 4)
    out, letters = tmp_path / "c.csv", tmp_path / "l.html"
    result = runner.invoke(
        args=[
            "rounds",
            "codes",
            str(setup_round.areas[1].id),
            "--count",
            "10",
            "--out",
            str(out),
            "--letters",
            str(letters),
        ]
    )
    assert result.exit_code == 0, result.output
    text = letters.read_text(encoding="utf-8")
    assert text.count('<article class="letter">') == 10
    assert text.count("<html") == 1 and text.count("</html>") == 1


@pytest.mark.parametrize("count", ["0", "-1", "1000000"])
def test_command_refuses_bad_counts(db, runner, setup_round, tmp_path, count):
    out = tmp_path / "codes.csv"
    result = runner.invoke(
        args=["rounds", "codes", str(setup_round.areas[0].id), "--count", count, "--out", str(out)]
    )
    assert result.exit_code != 0 and not out.exists() and _count(db) == 0


def test_command_refuses_once_voting_has_started(db, runner, tmp_path):
    round_ = make_round()
    db.session.commit()
    out = tmp_path / "codes.csv"
    result = runner.invoke(
        args=["rounds", "codes", str(round_.areas[0].id), "--count", "5", "--out", str(out)]
    )
    assert result.exit_code != 0 and "Voting has started" in result.output
    assert not out.exists() and _count(db) == 0


# --- who may do it -----------------------------------------------------------------------


def _routes(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("round_codes.")]


def _paths(app, round_):
    values = {
        "round_id": round_.id,
        "round_area_id": round_.areas[0].id,
        "batch": "Stembus 1",
        "entry": 1,
        "position": 1,
    }
    for rule in _routes(app):
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(values[name])).replace(
                f"<{name}>", str(values[name])
            )
        for method in sorted(rule.methods - {"OPTIONS", "HEAD"}):
            yield method, path


def test_the_walk_covers_every_route(app):
    endpoints = {r.endpoint for r in _routes(app)}
    assert {
        "round_codes.codes_overview",
        "round_codes.reissue",
        "round_codes.paper",
        "round_codes.paper_single",
        "round_codes.start_batch",
        "round_codes.batch_entry",
        "round_codes.batch_compare",
        "round_codes.batch_save",
        "round_codes.signals",
    } <= endpoints
    assert all(r.rule.startswith("/beheer/rondes/") for r in _routes(app))


def test_administrators_open_every_page(app, db, client, admin, voting_round):
    r = voting_round
    for method, path in _paths(app, r["round"]):
        if method == "GET" and "/reeks/" not in path:
            assert client.get(path).status_code == 200, path
