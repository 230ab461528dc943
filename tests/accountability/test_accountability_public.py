"""Public pages: the idea's section, overviews per area and spearhead, the dashboard and its CSV files."""

import csv
import io

import pytest

from buurtbegroting.models import Expense, IdeaStatus, Milestone, Support
from tests.factories import make_idea, make_user
from tests.factories.accountability import funded_idea
from tests.querycount import count_statements


def test_idea_page_shows_budget_spent_and_progress(client, world, db):
    db.session.add(
        Expense(
            funding_id=world.funding.id,
            description="Verf",
            amount_cents=25_000,
            spent_on=world.funding.planned_end_on,
        )
    )
    db.session.add(
        Milestone(
            funding_id=world.funding.id, title="Verven", planned_on=world.funding.planned_end_on
        )
    )
    db.session.commit()
    page = client.get(f"/ideeen/{world.idea.id}").text
    assert "Verantwoording: hoe het ging en wat het kostte" in page
    assert "uitgegeven van" in page and "(25%)" in page
    assert "0 van 1 mijlpalen klaar" in page
    assert 'width="25"' in page  # the bar


def test_overview_per_area_and_spearhead(client, world, db):
    other, _ = funded_idea(world.other_district, title="Bankjes Schadewijk")
    db.session.commit()
    page = client.get("/verantwoording").text
    assert "Speeltuin opknappen" in page and "Bankjes Schadewijk" in page
    page = client.get(f"/verantwoording?gebied={world.district.id}").text
    assert "Speeltuin opknappen" in page and "Bankjes Schadewijk" not in page
    page = client.get(f"/verantwoording/gebied/{world.buurt.code}").text
    assert "Speeltuin opknappen" in page and "Bankjes Schadewijk" not in page
    page = client.get(f"/verantwoording/speerpunt/{world.plan.spearheads[0].id}").text
    assert "Speeltuin opknappen" in page and "Bankjes Schadewijk" not in page
    assert client.get("/verantwoording/gebied/XX").status_code == 404
    assert client.get("/verantwoording/speerpunt/99999").status_code == 404
    # Nonsense filters are ignored, not an error.
    assert client.get("/verantwoording?gebied=abc&speerpunt=-1").status_code == 200


def test_dashboard_states_its_numbers_in_text(client, world, db):
    db.session.add(Support(idea_id=world.idea.id, user_id=world.stranger.id))
    db.session.commit()
    page = client.get("/dashboard").text
    assert "Geld per speerpunt" in page and "Groen en spelen" in page
    assert "Geld per gebied" in page and "Ruwaard" in page
    assert "Ideeën per status" in page
    assert "Steunbetuigingen voor ideeën" in page
    assert "1.000,00" in page  # the funded amount, as text
    assert "<script" not in page and "style=" not in page


@pytest.mark.parametrize(
    "name", ["speerpunten", "gebieden", "statussen", "deelname", "verantwoording"]
)
def test_csv_downloads_are_utf8_with_bom_and_semicolons(client, world, name):
    response = client.get(f"/dashboard/{name}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) >= 2
    assert all(len(r) == len(rows[0]) for r in rows)


def test_csv_neutralises_formulas_and_unknown_tables_are_404(client, world, db):
    world.idea.title = '=HYPERLINK("http://x")'
    db.session.commit()
    text = client.get("/dashboard/verantwoording.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "1000,00" in text
    assert client.get("/dashboard/users.csv").status_code == 404


def _make_funded(world, db, n):
    for i in range(n):
        idea, funding = funded_idea(
            world.buurt if i % 2 else world.other_district,
            world.author,
            spearheads=[world.plan.spearheads[i % 2]] if i % 3 else [],
        )
        db.session.add(
            Expense(
                funding_id=funding.id,
                description="x",
                amount_cents=100 + i,
                spent_on=funding.planned_end_on,
            )
        )
        db.session.add(
            Milestone(funding_id=funding.id, title="m", planned_on=funding.planned_end_on)
        )
        db.session.add(Support(idea_id=idea.id, user_id=world.stranger.id))
    make_idea(world.buurt, world.author, status=IdeaStatus.SUBMITTED)
    db.session.commit()


def _count(client, db, url):
    with count_statements(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


PAGES = [
    "/dashboard",
    "/dashboard/verantwoording.csv",
    "/dashboard/speerpunten.csv",
    "/verantwoording",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_run_the_same_number_of_statements_for_5_and_50_ideas(client, world, db, url):
    _make_funded(world, db, 4)  # plus the world's idea: 5
    small = _count(client, db, url)
    _make_funded(world, db, 45)
    large = _count(client, db, url)
    assert small == large, (url, small, large)


def test_coordinator_list_runs_a_constant_number_of_statements(client, login, world, db):
    login(world.admin)
    _make_funded(world, db, 4)
    small = _count(client, db, "/beheer/verantwoording/")
    _make_funded(world, db, 45)
    assert _count(client, db, "/beheer/verantwoording/") == small


def test_idea_section_is_not_shown_to_anyone_for_a_private_idea(client, world, db):
    world.idea.status = IdeaStatus.WITHDRAWN  # impossible in practice; the guard still holds
    db.session.commit()
    assert client.get(f"/ideeen/{world.idea.id}").status_code == 404
    assert "Speeltuin" not in client.get("/verantwoording").text
    assert make_user  # factories stay importable
