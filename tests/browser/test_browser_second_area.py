"""Own area plus one chosen area on a phone, in Dutch and English, scanned with axe-core.

A voter types the code of the letter, votes in the own area, takes the offer on the receipt
to vote in one other area, chooses it (first without a choice: a clear error), votes there
and gets a second receipt that offers nothing more.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from buurtbegroting.extensions import db
from tests.browser.test_browser_voting import LANGS, TEXT, _Scanner, _submit, _tick

pytestmark = pytest.mark.browser

SECOND = {
    "nl": {
        "offer": "Kies het andere gebied",
        "title": "Stem in één ander gebied",
        "go": "Stem in dit gebied",
        "missing": "Kies een gebied.",
    },
    "en": {
        "offer": "Choose the other area",
        "title": "Vote in one other area",
        "go": "Vote in this area",
        "missing": "Choose an area.",
    },
}


@pytest.fixture(scope="module")
def two_area_rounds(live_app) -> dict[str, dict]:
    """Per language a round with the setting on: Schadewijk (home of the code), Lith, Herpen."""
    from buurtbegroting.models import Area
    from tests.factories.rounds import issue_codes, make_round, put_on_ballot

    made = {}
    with live_app.app_context():
        areas = [
            db.session.scalar(select(Area).where(Area.code == code))
            for code in ("WK082802", "WK082810", "WK082809")
        ]
        for lang in LANGS:
            round_ = make_round(
                [(area, 1_000_000) for area in areas],
                allows_second_area=True,
                name=f"Twee gebieden ({lang})",
            )
            for ra in round_.areas:
                put_on_ballot(ra, [300_000, 200_000])
            code = issue_codes(round_.areas[0], 1)[0]
            made[lang] = {"id": round_.id, "code": code, "ras": [ra.id for ra in round_.areas]}
        db.session.commit()
        db.session.remove()
    return made


def _vote_here(page, t, area_name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(area_name))
    _tick(page, "Plan A")
    assert _submit(page, t["to_review"]) == 200
    assert _submit(page, t["confirm"]) == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(t["thanks"])


@pytest.mark.parametrize("lang", LANGS)
def test_vote_at_home_then_in_the_offered_other_area(
    new_phone_context, axe_source, live_app, two_area_rounds, lang
):
    t, s, made = TEXT[lang], SECOND[lang], two_area_rounds[lang]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    scan = _Scanner(page, axe_source)
    page.goto(f"/rondes/{made['id']}")
    scan("round with the setting")
    page.goto(f"/stemmen/{made['id']}")
    page.get_by_label(t["code_label"]).fill(made["code"])
    page.get_by_role("button", name=t["to_ballot"]).click()
    _vote_here(page, t, "Schadewijk")
    scan("receipt with the offer")
    page.get_by_role("link", name=s["offer"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(s["title"])
    expect(page.get_by_role("radio", name="Schadewijk")).to_have_count(0)
    scan("choose the other area")
    assert _submit(page, s["go"]) == 422
    expect(page.get_by_role("alert")).to_contain_text(s["missing"])
    scan("choose the other area, with an error")
    page.get_by_role("radio", name="Lith", exact=True).check()
    assert _submit(page, s["go"]) == 200
    expect(page).to_have_url(re.compile(rf"/stemmen/gebied/{made['ras'][1]}$"))
    _vote_here(page, t, "Lith")
    expect(page.get_by_role("link", name=s["offer"])).to_have_count(0)
    scan("second receipt")
    scan.assert_clean()

    from buurtbegroting.models import SealedBallot

    with live_app.app_context():
        per_area = dict(
            db.session.execute(
                select(SealedBallot.round_area_id, func.count())
                .where(SealedBallot.round_area_id.in_(made["ras"]))
                .group_by(SealedBallot.round_area_id)
            ).all()
        )
        db.session.remove()
    assert per_area == {made["ras"][0]: 1, made["ras"][1]: 1}
