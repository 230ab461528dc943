"""Voting on a phone, in Dutch and in English, in real Chromium.

A resident opens the code link from the letter, fills in a knapsack ballot (with and
without JavaScript), confirms and gets a receipt. An administrator closes a round early,
sees the results and downloads the anonymous ballots, whose fingerprint matches the page
and whose recount with pabutools gives the ideas shown as chosen. Every voting page and
every round administration page is scanned with axe-core.

The live server is shared by the whole session: each demo code votes once (the journey
uses two, the scans two more), and the rounds closed here are made by the fixture below,
so the open demo round stays open for everyone else.
"""

from __future__ import annotations

import hashlib
import os
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from buurtbegroting.extensions import db
from demo.activity import CLOSED_ROUND, OPEN_ROUND, demo_codes
from tests.browser.axecheck import blocking_violations, report
from tests.factories.ideas import make_idea

pytestmark = pytest.mark.browser

LANGS = ["nl", "en"]
ADMIN_EMAIL, ADMIN_PASSWORD = "beheerder@buurtbegroting.nl", "demo-beheerder"
_CODES = demo_codes()
#: Each code can vote once; the live server lives for the whole session.
JOURNEY_CODE = {"nl": _CODES[0], "en": _CODES[1]}
SCAN_CODE = {"nl": _CODES[2], "en": _CODES[3]}
#: The demo ballot: € 10.000 to spend on three ideas.
BANKJES, MOESTUIN, JONGEREN = (
    "Bankjes bij de speeltuin",  # € 6.000
    "Moestuin voor de buurt",  # € 3.800
    "Jongerenplek met overkapping",  # € 5.200
)
#: Set BROWSER_SCREENSHOTS=/some/dir to keep screenshots of the pages the journey passes.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")

TEXT = {
    "nl": {
        "ballot": "Stembiljet: Ruwaard",
        "check": "Controleer mijn keuze",
        "to_review": "Verder naar bevestigen",
        "confirm": "Bevestig mijn stem",
        "total_over": "€ 11.200,00",
        "total_ok": "€ 9.800,00",
        "over_by": "€ 1.200,00 boven het budget",
        "explained": "Uw keuze kost € 11.200,00. Dat is € 1.200,00 meer dan het budget van "
        "€ 10.000,00. Haal een idee weg.",
        "review": "Bevestig uw stem",
        "final": "Na het bevestigen kunt u uw stem niet meer wijzigen.",
        "thanks": "Bedankt voor uw stem",
        "used": "Met deze code is al gestemd.",
        "code_label": "Uw stemcode",
        "to_ballot": "Naar het stembiljet",
        "close": "Sluit de ronde",
        "close_submit": "Sluit de ronde en publiceer de uitslag",
        "reason": "Reden om eerder te sluiten",
        "understand": "Ik begrijp dat sluiten de stemmen één keer telt en niet terug te draaien is.",
        "reason_needed": "Geef een reden om de ronde eerder te sluiten.",
        "why": "Storing bij de drukker van de brieven",
        "closed": "De ronde is gesloten en de uitslag is gepubliceerd.",
        "closed_early": "De ronde is eerder gesloten:",
        "chosen": "Gekozen",
        "pb": "Anonieme stemmen (.pb)",
    },
    "en": {
        "ballot": "Ballot: Ruwaard",
        "check": "Check my choice",
        "to_review": "Continue to confirm",
        "confirm": "Confirm my vote",
        "total_over": "€11,200.00",
        "total_ok": "€9,800.00",
        "over_by": "€1,200.00 over budget",
        "explained": "Your choice costs €11,200.00, which is €1,200.00 more than the budget of "
        "€10,000.00. Remove an idea.",
        "review": "Confirm your vote",
        "final": "After you confirm, you cannot change your vote.",
        "thanks": "Thank you for voting",
        "used": "This code has already been used to vote.",
        "code_label": "Your voting code",
        "to_ballot": "Go to the ballot",
        "close": "Close the round",
        "close_submit": "Close the round and publish the results",
        "reason": "Reason for closing early",
        "understand": "I understand that closing counts the votes once and cannot be undone.",
        "reason_needed": "Give a reason to close the round early.",
        "why": "The printer of the letters made a mistake",
        "closed": "The round has been closed and the results are published.",
        "closed_early": "The round was closed early:",
        "chosen": "Chosen",
        "pb": "Anonymous ballots (.pb)",
    },
}

#: The rounds made to be closed: like the demo round, with ballots cast on paper.
#: A and C get 4 votes each, B 3. Most votes first with cheaper first on a tie: C (€ 5.200),
#: then A (€ 6.000) does not fit in the € 4.800 left, then B (€ 3.800) does.
CLOSE_IDEAS = {
    "A": ("Speelbos met boomstammen", 600_000),
    "B": ("Ruilkast bij de bibliotheek", 380_000),
    "C": ("Waterpunt in het park", 520_000),
}
CLOSE_BALLOTS = [("A", "B")] * 2 + [("B", "C")] + [("A",)] * 2 + [("C",)] * 3
EXPECTED_CHOSEN = {"C", "B"}


@pytest.fixture(scope="module")
def round_ids(live_app) -> dict[str, int]:
    """The ids of the demo rounds, by name."""
    from buurtbegroting.models import BudgetRound

    with live_app.app_context():
        ids = {
            name: db.session.scalar(select(BudgetRound.id).where(BudgetRound.name == name))
            for name in (OPEN_ROUND, CLOSED_ROUND)
        }
        db.session.remove()
    return ids


@pytest.fixture(scope="module")
def rounds_to_close(live_app) -> dict[str, dict]:
    """Per language, a fresh knapsack round in Ruwaard, voting open, with eight paper ballots."""
    from buurtbegroting.models import (
        Area,
        BallotItem,
        BallotType,
        BudgetRound,
        Destination,
        IdeaStatus,
        OutcomeRule,
        RoundArea,
        User,
    )
    from buurtbegroting.rounds import services

    made = {}
    now = datetime.now(UTC)
    with live_app.app_context():
        ruwaard = db.session.scalar(select(Area).where(Area.code == "WK082803"))
        west = db.session.scalar(select(Area).where(Area.code == "BU08280301"))
        author = db.session.scalar(select(User).where(User.email == "anna@example.nl"))
        for lang in LANGS:
            round_ = BudgetRound(
                name=f"Proefronde Ruwaard ({lang})",
                description="Een ronde om het sluiten te proberen.",
                submission_opens_at=now - timedelta(days=60),
                review_opens_at=now - timedelta(days=30),
                voting_opens_at=now - timedelta(days=1),
                voting_closes_at=now + timedelta(days=30),
                results_at=now + timedelta(days=37),
                ballot_type=BallotType.KNAPSACK,
                min_choices=1,
                rule=OutcomeRule.GREEDY,
                tie_break="cheaper",
                rule_explanation="De ideeën met de meeste stemmen krijgen geld, zolang het budget "
                "niet op is.",
            )
            area = RoundArea(round=round_, area=ruwaard, budget_cents=1_000_000, eligible_count=40)
            items = {}
            for position, (key, (title, cents)) in enumerate(CLOSE_IDEAS.items()):
                idea = make_idea(
                    west,
                    author,
                    costs=(("Alles", cents),),
                    title=f"{title} ({lang})",
                    summary="Een idee voor de proefronde.",
                    description="Alleen voor de test.",
                    status=IdeaStatus.ACCEPTED,
                    destination=Destination.BUDGET_ROUND,
                    submitted_at=now - timedelta(days=40),
                )
                items[key] = BallotItem(idea=idea, cost_cents=cents, position=position)
            area.items = list(items.values())
            db.session.add(round_)
            db.session.flush()
            for ballot in CLOSE_BALLOTS:
                services.cast_ballot(area, {items[k].id: 1 for k in ballot}, is_paper=True)
            made[lang] = {
                "id": round_.id,
                "titles": {k: item.idea.title for k, item in items.items()},
                "idea_ids": {k: item.idea_id for k, item in items.items()},
            }
        db.session.commit()
        db.session.remove()
    return made


@contextmanager
def _admin_speaks(live_app, lang: str):
    """Give the demo administrator's account this language for a while (it overrides the browser)."""
    from buurtbegroting.models import User

    def set_locale(value):
        with live_app.app_context():
            user = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
            before, user.locale = user.locale, value
            db.session.commit()
            db.session.remove()
        return before

    before = set_locale(lang)
    try:
        yield
    finally:
        set_locale(before)


def _log_in_as_admin(page: Page) -> None:
    page.goto("/inloggen")
    page.locator("#email").fill(ADMIN_EMAIL)
    page.locator("#password").fill(ADMIN_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(re.compile("Uitloggen|Log out"))


def _snap(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _assert_fits_the_phone(page: Page) -> None:
    # Measure the page as shown: a click returns before its stylesheet has loaded.
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} scrolls sideways: {width} px wide on a 390 px screen"


#: What a thumb must hit in the main part of the page; a box inside its label counts as the label.
TOUCH_TARGETS = (
    "main a, main button, main select, main textarea, main input:not([type=hidden]), "
    "main label.check"
)


def _small_touch_targets(page: Page) -> list:
    # The administration's own menu (.admin-nav, above the round codes pages) is not part of
    # the voting feature; its links are 38 px high.
    return page.eval_on_selector_all(
        TOUCH_TARGETS,
        """els => els.filter(e => e.getClientRects().length
                && !e.closest('label.check, .prose, .admin-nav'))
            .map(e => {
                const r = e.getBoundingClientRect();
                return [e.outerHTML.slice(0, 80), Math.round(r.width), Math.round(r.height)];
            }).filter(([, w, h]) => h < 44 || w < 24)""",
    )


def _tick(page: Page, *titles: str, on: bool = True) -> None:
    for title in titles:
        box = page.get_by_role("checkbox", name=title, exact=True)
        box.check() if on else box.uncheck()


def _submit(page: Page, button: str) -> int:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    return navigation.value.status


# --- the journey ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_vote_with_a_code_link_then_close_and_recount(
    new_phone_context, live_app, rounds_to_close, lang
):
    t = TEXT[lang]
    code = JOURNEY_CODE[lang]

    # Without JavaScript the server adds up the choice and explains what is over budget.
    plain = new_phone_context(lang, javascript=False).new_page()
    plain.goto(f"/stem#{code}")  # without the script the voter types the code
    expect(plain.get_by_label(t["code_label"])).to_have_value("")
    plain.get_by_label(t["code_label"]).fill(code)
    plain.get_by_role("button", name=t["to_ballot"]).click()
    expect(plain).to_have_url(re.compile(r"/stemmen/gebied/\d+$"))
    expect(plain.get_by_role("heading", level=1)).to_have_text(t["ballot"])
    _tick(plain, BANKJES, JONGEREN)
    assert _submit(plain, t["check"]) == 422
    expect(plain.locator(".error-summary")).to_contain_text(t["explained"])
    expect(plain.locator(".meter-total")).to_have_text(t["total_over"])
    expect(plain.locator(".meter-over")).to_contain_text(t["over_by"])
    expect(plain.locator("#meter")).to_have_class("over")
    expect(plain.get_by_role("checkbox", name=BANKJES, exact=True)).to_be_checked()
    _snap(plain, f"{lang}-ballot-no-js-over")

    # With JavaScript the meter follows every tick.
    page = new_phone_context(lang).new_page()
    page.goto(f"/stem#{code}")
    expect(page).to_have_url(re.compile(r"/stemmen/gebied/\d+$"))
    _tick(page, BANKJES, JONGEREN)
    expect(page.locator("#meter")).to_have_class("over")
    expect(page.locator(".meter-total")).to_have_text(t["total_over"])
    expect(page.locator(".meter-over")).to_contain_text(t["over_by"])
    _snap(page, f"{lang}-ballot-js-over")
    _tick(page, JONGEREN, on=False)
    _tick(page, MOESTUIN)
    expect(page.locator("#meter")).not_to_have_class("over")
    expect(page.locator(".meter-total")).to_have_text(t["total_ok"])
    expect(page.locator(".meter-over")).to_be_hidden()
    assert not _small_touch_targets(page), _small_touch_targets(page)
    _assert_fits_the_phone(page)

    # Review: what was chosen, and whether it can still change; then confirm.
    assert _submit(page, t["to_review"]) == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(t["review"])
    expect(page.locator(".review-list li")).to_have_count(2)
    expect(page.locator(".review-list")).to_contain_text(BANKJES)
    expect(page.locator(".review-list")).to_contain_text(MOESTUIN)
    expect(page.get_by_text(t["final"])).to_be_visible()
    assert not _small_touch_targets(page), _small_touch_targets(page)
    _assert_fits_the_phone(page)
    _snap(page, f"{lang}-review")
    _submit(page, t["confirm"])
    expect(page).to_have_url(re.compile(r"/stemmen/bedankt/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t["thanks"])
    expect(page.get_by_role("status")).to_contain_text("Ruwaard")
    _snap(page, f"{lang}-receipt")

    # The code link again: the code has been used.
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.goto(f"/stem#{code}")
    assert posted.value.status == 409 and posted.value.url.endswith("/stem")
    expect(page.locator("#code-error")).to_contain_text(t["used"])
    assert "#" not in page.url

    # An administrator closes a round of their own early: it needs a reason and the tick.
    made = rounds_to_close[lang]
    with _admin_speaks(live_app, lang):
        admin = new_phone_context(lang).new_page()
        _log_in_as_admin(admin)
        admin.goto(f"/beheer/rondes/{made['id']}")
        with admin.expect_navigation():
            admin.get_by_role("link", name=t["close"], exact=True).click()
        expect(admin).to_have_url(re.compile(rf"/beheer/rondes/{made['id']}/sluiten$"))
        admin.get_by_label(t["understand"]).check()
        assert _submit(admin, t["close_submit"]) == 422
        expect(admin.locator(".error-summary")).to_contain_text(t["reason_needed"])
        admin.get_by_label(t["reason"]).fill(t["why"])
        admin.get_by_label(t["understand"]).check()
        _submit(admin, t["close_submit"])

        # The results: the reason, the chart, a reason for every idea, the ballots to recount.
        expect(admin).to_have_url(re.compile(rf"/rondes/{made['id']}/uitslag$"))
        expect(admin.get_by_text(t["closed"])).to_be_visible()
        expect(admin.locator("main .notice")).to_have_text(f"{t['closed_early']} {t['why']}")
        expect(admin.locator(".result-chart .chart-row")).to_have_count(len(CLOSE_IDEAS) + 1)
        expect(admin.locator(".result-chart")).to_be_visible()
        rows = admin.eval_on_selector_all(
            ".results-area tbody tr",
            """trs => trs.map(tr => ({
                id: Number(tr.querySelector('a').getAttribute('href').split('/').pop()),
                chosen: !!tr.querySelector('.chosen-label'),
                reason: tr.querySelector('.small').textContent.trim()}))""",
        )
        assert len(rows) == len(CLOSE_IDEAS) and all(r["reason"] for r in rows), rows
        shown = {r["id"] for r in rows if r["chosen"]}
        assert shown == {made["idea_ids"][k] for k in EXPECTED_CHOSEN}, rows
        assert not _small_touch_targets(admin), _small_touch_targets(admin)
        _assert_fits_the_phone(admin)
        _snap(admin, f"{lang}-results")

        with admin.expect_download() as downloading:
            admin.get_by_role("link", name=t["pb"], exact=True).click()
        download = downloading.value
        assert download.suggested_filename.endswith(".pb")
        data = Path(download.path()).read_bytes()
        fingerprint = admin.locator("code.hash").inner_text().strip()
        assert hashlib.sha256(data).hexdigest() == fingerprint

    assert _recount(data.decode("utf-8")) == shown


def _recount(pb_text: str) -> set[int]:
    """Count the ballots again with pabutools: most votes first, the cheaper idea on a tie."""
    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import greedy_utilitarian_welfare
    from pabutools.tiebreaking import TieBreakingRule

    instance, profile = parse_pabulib_from_string(pb_text)
    assert instance.budget_limit == 10_000
    assert profile.num_ballots() == len(CLOSE_BALLOTS)
    cheaper_first = TieBreakingRule(lambda inst, prof, proj: (Fraction(proj.cost), proj.name))
    outcome = greedy_utilitarian_welfare(
        instance, profile, sat_class=Cost_Sat, tie_breaking=cheaper_first
    )
    return {int(project.name) for project in outcome}


# --- axe-core ---------------------------------------------------------------------------------


class _Scanner:
    """Scan pages one after another; report every serious or critical finding at the end.

    Besides axe, each page must fit the phone's width and have 44 px touch targets.
    """

    def __init__(self, page: Page, axe_source: str):
        self.page, self.axe_source, self.found = page, axe_source, {}

    def __call__(self, name: str) -> None:
        where = f"{name} ({self.page.url})"
        blocking = blocking_violations(self.page, self.axe_source)
        if blocking:
            self.found[where] = report(blocking)
        small = _small_touch_targets(self.page)
        if small:
            self.found[where + " touch targets under 44 px"] = "\n".join(map(str, small))
        _assert_fits_the_phone(self.page)

    def assert_clean(self) -> None:
        assert not self.found, "problems found:\n" + "\n".join(
            f"{name}:\n{text}" for name, text in self.found.items()
        )


@pytest.mark.parametrize("lang", LANGS)
def test_voting_pages_have_no_serious_accessibility_violations(
    new_phone_context, axe_source, round_ids, lang
):
    t = TEXT[lang]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    scan = _Scanner(page, axe_source)
    open_id, closed_id = round_ids[OPEN_ROUND], round_ids[CLOSED_ROUND]

    page.goto("/rondes")
    scan("rounds")
    page.goto(f"/rondes/{open_id}")
    scan("open round")
    page.goto(f"/rondes/{closed_id}")
    scan("closed round")
    page.goto(f"/stemmen/{open_id}")
    scan("code form")
    page.get_by_label(t["code_label"]).fill("ABCD-EFGH-JKMN2")
    assert _submit(page, t["to_ballot"]) == 422
    expect(page.locator(".error-summary")).to_be_visible()
    scan("code form with an error")

    page.goto(f"/stem#{SCAN_CODE[lang]}")
    expect(page.get_by_role("heading", level=1)).to_have_text(t["ballot"])
    scan("ballot")
    _tick(page, BANKJES, JONGEREN)
    expect(page.locator("#meter")).to_have_class("over")
    scan("ballot over budget (live meter)")
    assert _submit(page, t["check"]) == 422
    scan("ballot with errors")
    _tick(page, JONGEREN, on=False)
    _tick(page, MOESTUIN)
    _submit(page, t["to_review"])
    expect(page.get_by_role("heading", level=1)).to_have_text(t["review"])
    scan("review")
    _submit(page, t["confirm"])
    expect(page.get_by_role("heading", level=1)).to_have_text(t["thanks"])
    scan("receipt")
    page.goto(f"/stem#{SCAN_CODE[lang]}")
    scan("used code")

    page.goto(f"/rondes/{closed_id}/uitslag")
    expect(page.locator(".result-chart")).to_be_visible()
    scan("results")
    page.goto(f"/rondes/{open_id}/uitslag")
    scan("no results yet")
    scan.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_round_admin_pages_have_no_serious_accessibility_violations(
    new_phone_context, axe_source, live_app, round_ids, lang
):
    t = TEXT[lang]
    open_id, closed_id = round_ids[OPEN_ROUND], round_ids[CLOSED_ROUND]
    with _admin_speaks(live_app, lang):
        page = new_phone_context(lang, bypass_csp=True).new_page()
        scan = _Scanner(page, axe_source)
        _log_in_as_admin(page)
        for name, path in [
            ("rounds", "/beheer/rondes/"),
            ("new round", "/beheer/rondes/nieuw"),
            ("open round", f"/beheer/rondes/{open_id}"),
            ("edit form", f"/beheer/rondes/{open_id}/bewerken"),
            ("close page", f"/beheer/rondes/{open_id}/sluiten"),
            ("closed round", f"/beheer/rondes/{closed_id}"),
            ("codes", f"/beheer/rondes/{open_id}/codes"),
            ("paper ballots", f"/beheer/rondes/{open_id}/papier"),
            ("signals", f"/beheer/rondes/{open_id}/signalen"),
        ]:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            expect(page.locator("html")).to_have_attribute("lang", lang)
            scan(name)
        # The close page with its errors (nothing ticked, no reason), without closing.
        page.goto(f"/beheer/rondes/{open_id}/sluiten")
        assert _submit(page, t["close_submit"]) == 422
        expect(page.locator(".error-summary")).to_be_visible()
        scan("close page with errors")
        # A new round with every error at once.
        page.goto("/beheer/rondes/nieuw")
        page.locator("#name").fill("")
        assert _submit(page, page.locator("main form button[type=submit]").inner_text()) == 422
        scan("new round with errors")
    scan.assert_clean()
