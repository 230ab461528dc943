"""The demo data gives a working platform: a code from the README opens the ballot."""

from pathlib import Path

from sqlalchemy import select

from buurtbegroting.domain.codes import format_code
from buurtbegroting.models import BudgetRound
from demo.activity import OPEN_ROUND, demo_codes


def test_demo_codes_in_the_readme_open_the_ballot(runner, client, db):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in demo_codes():
        assert format_code(code) in readme
    response = client.post("/stem", data={"code": format_code(demo_codes()[0])})
    assert response.status_code == 302 and "/stemmen/gebied/" in response.headers["Location"]
    round_ = db.session.scalar(select(BudgetRound).where(BudgetRound.name == OPEN_ROUND))
    assert round_ is not None


def test_demo_has_published_results_to_recount(runner, client, db):
    runner.invoke(args=["demo", "load"])
    closed = db.session.scalar(select(BudgetRound).where(BudgetRound.published_at.is_not(None)))
    page = client.get(f"/rondes/{closed.id}/uitslag").get_data(as_text=True)
    assert closed.areas[0].pb_sha256 in page


def test_demo_load_refuses_under_the_production_configuration(app, runner, db):
    app.config["IS_PRODUCTION"] = True
    try:
        result = runner.invoke(args=["demo", "load"])
    finally:
        app.config["IS_PRODUCTION"] = False
    assert result.exit_code != 0
    assert "never loaded in production" in result.output
    assert db.session.scalar(select(BudgetRound)) is None


def test_production_configuration_marks_itself_as_production():
    from config import Config, ProductionConfig

    assert ProductionConfig.IS_PRODUCTION is True and Config.IS_PRODUCTION is False
