"""A shared voting kiosk and unfinished ballots, on a phone in real Chromium.

Two voters in a row on one browser context marked as a kiosk: the second starts on a clean
ballot and never sees the first one's choices; after a restart (what two idle minutes do)
the session is gone. On a resident's own phone, choices survive the end of the session and
are cleared after confirming. The new pages are scanned with axe-core.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from buurtbegroting.domain.codes import generate_code, normalize_code
from buurtbegroting.extensions import db
from tests.browser.test_browser_voting import _Scanner, _submit, _tick
from tests.factories.ideas import make_idea

pytestmark = pytest.mark.browser

IDEAS = {"Speelbos": 200_000, "Zitbanken": 150_000, "Fietsenrek": 90_000}
TEXT = {
    "nl": {
        "code": "Uw stemcode",
        "to_ballot": "Naar het stembiljet",
        "to_review": "Verder naar bevestigen",
        "confirm": "Bevestig mijn stem",
        "thanks": "Bedankt voor uw stem",
        "restored": "Uw eerdere keuzes op dit apparaat staan er weer.",
    },
    "en": {
        "code": "Your voting code",
        "to_ballot": "Go to the ballot",
        "to_review": "Continue to confirm",
        "confirm": "Confirm my vote",
        "thanks": "Thank you for voting",
        "restored": "Your earlier choices on this device are back.",
    },
}


@pytest.fixture(scope="module")
def kiosk_round(live_app) -> dict:
    """An approval round in Ruwaard-West (choose at most two), with eight codes."""
    from buurtbegroting.models import (
        Area,
        BallotItem,
        BudgetRound,
        Destination,
        IdeaStatus,
        RoundArea,
        User,
        VotingCode,
    )
    from buurtbegroting.rounds.services import voting_code_hash

    now = datetime.now(UTC)
    with live_app.app_context():
        west = db.session.scalar(select(Area).where(Area.code == "BU08280301"))
        author = db.session.scalar(select(User).where(User.email == "anna@example.nl"))
        round_ = BudgetRound(
            name="Stemzuilronde",
            description="Een ronde voor de stemzuil.",
            submission_opens_at=now - timedelta(days=60),
            review_opens_at=now - timedelta(days=30),
            voting_opens_at=now - timedelta(days=1),
            voting_closes_at=now + timedelta(days=30),
            results_at=now + timedelta(days=37),
            min_choices=1,
            max_choices=2,
            rule_explanation="De ideeën met de meeste stemmen winnen.",
        )
        area = RoundArea(round=round_, area=west, budget_cents=500_000)
        for position, (title, cents) in enumerate(IDEAS.items()):
            idea = make_idea(
                west,
                author,
                costs=(("Alles", cents),),
                title=title,
                summary="Een idee voor de stemzuil.",
                description="Alleen voor de test.",
                status=IdeaStatus.ACCEPTED,
                destination=Destination.BUDGET_ROUND,
                submitted_at=now - timedelta(days=40),
            )
            area.items.append(BallotItem(idea=idea, cost_cents=cents, position=position))
        codes = [generate_code() for _ in range(8)]
        db.session.add(round_)
        db.session.flush()
        db.session.add_all(
            VotingCode(round_area_id=area.id, code_hash=voting_code_hash(normalize_code(c)))
            for c in codes
        )
        db.session.commit()
        made = {"round": round_.id, "area": area.id, "codes": codes}
        db.session.remove()
    return made


def _kiosk_cookie(live_app, live_server) -> dict:
    from buurtbegroting.rounds import kiosk

    with live_app.test_request_context():
        value = kiosk.cookie_value("Bibliotheek Ruwaard", 2)
    return {"name": kiosk.COOKIE, "value": value, "url": live_server}


def _start(page, code: str, t: dict) -> None:
    page.goto("/stem")
    page.get_by_label(t["code"]).fill(code)
    _submit(page, t["to_ballot"])


def _checked(page) -> list[str]:
    return page.eval_on_selector_all(
        "input[name=item]:checked", "els => els.map(e => e.closest('label').textContent.trim())"
    )


def _drafts(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.indexOf('ballot-draft:') === 0)")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_two_voters_in_a_row_on_a_kiosk(
    new_phone_context, live_app, live_server, kiosk_round, lang
):
    t = TEXT[lang]
    codes = kiosk_round["codes"][:3] if lang == "nl" else kiosk_round["codes"][3:6]
    context = new_phone_context(lang)
    context.add_cookies([_kiosk_cookie(live_app, live_server)])
    page = context.new_page()

    # The first voter chooses, confirms and sees the receipt with its number.
    _start(page, codes[0], t)
    expect(page.locator("body")).to_have_attribute("data-kiosk", "/kiosk/opnieuw")
    _tick(page, "Speelbos", "Zitbanken")
    _submit(page, t["to_review"])
    _submit(page, t["confirm"])
    expect(page.get_by_role("heading", level=1)).to_have_text(t["thanks"])
    expect(page.locator(".receipt-number")).to_have_text(re.compile(r"^\w{4}-\w{4}-\w{4}$"))
    assert _drafts(page) == []

    # The second voter, on the same browser, starts on a clean ballot.
    _start(page, codes[1], t)
    assert _checked(page) == []
    _tick(page, "Fietsenrek")
    assert _drafts(page) == []  # a kiosk keeps no choices on the device
    # The second voter walks away; the idle restart ends the session before the next voter.
    page.goto("/kiosk/opnieuw")
    assert page.goto(f"/stemmen/gebied/{kiosk_round['area']}").status == 403
    _start(page, codes[2], t)
    assert _checked(page) == []


def test_choices_survive_the_end_of_the_session_on_a_phone(
    new_phone_context, axe_source, kiosk_round
):
    t = TEXT["en"]
    code = kiosk_round["codes"][6]
    context = new_phone_context("en", bypass_csp=True)
    page = context.new_page()
    scan = _Scanner(page, axe_source)
    _start(page, code, t)
    _tick(page, "Speelbos", "Fietsenrek")
    assert len(_drafts(page)) == 1
    context.clear_cookies()  # the session ends (or the phone closed the browser)
    _start(page, code, t)
    expect(page.get_by_text(t["restored"])).to_be_visible()
    assert sorted(_checked(page)) == ["Fietsenrek", "Speelbos"]
    scan("ballot with restored choices")
    _submit(page, t["to_review"])
    _submit(page, t["confirm"])
    expect(page.get_by_role("heading", level=1)).to_have_text(t["thanks"])
    scan("receipt with its number")
    number = page.locator(".receipt-number").inner_text()
    assert _drafts(page) == []
    page.goto(f"/rondes/{kiosk_round['round']}/ontvangstnummer")
    scan("receipt number check")
    page.get_by_label("Your receipt number").fill(number.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("not published yet")
    page.get_by_label("Your receipt number").fill("nonsense")
    with page.expect_navigation():
        page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    scan("receipt number check with an error")
    scan.assert_clean()
