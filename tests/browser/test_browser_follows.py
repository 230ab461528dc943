"""Following on a phone, in Dutch and English: follow an area, choose a weekly digest,
unsubscribe from a link without logging in, and a coordinator's newsletter preview.

axe-core scans each page of the feature.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.axecheck import blocking_violations, report
from tests.browser.test_browser_ideas import _log_in_plain, _use_language

pytestmark = pytest.mark.browser

BRAM = ("bram@example.nl", "demo-inwoner")
COORDINATOR = ("wijkcoordinator@buurtbegroting.nl", "demo-coordinator")
AREA = "BU08280300"  # Ruwaard-Oost, in the coordinator's district Ruwaard
TEXT = {
    "nl": {
        "follow": "Volgen",
        "unfollow": "Niet meer volgen",
        "weekly": "Eén keer per week",
        "saved": "Uw instellingen zijn opgeslagen.",
        "stop": "Ja, stop deze e-mails",
        "done": "Klaar.",
        "preview": "Voorbeeld",
    },
    "en": {
        "follow": "Follow",
        "unfollow": "Stop following",
        "weekly": "Once a week",
        "saved": "Your settings have been saved.",
        "stop": "Yes, stop these e-mails",
        "done": "Done.",
        "preview": "Preview",
    },
}


def _log_in(page: Page, account: tuple[str, str], lang: str) -> None:
    _log_in_plain(page, account)
    _use_language(page, lang)


def _scan(page: Page, axe_source: str) -> None:
    blocking = blocking_violations(page, axe_source)
    assert not blocking, f"{page.url}:\n{report(blocking)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_resident_follows_an_area_and_chooses_a_weekly_digest(
    new_phone_context, axe_source, live_app, lang
):
    t = TEXT[lang]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    _log_in(page, BRAM, lang)
    page.goto(f"/gebied/{AREA}")
    page.get_by_role("button", name=t["follow"], exact=True).click()
    expect(page.get_by_role("button", name=t["unfollow"])).to_be_visible()
    _scan(page, axe_source)
    page.goto("/account/meldingen")
    page.locator('input[name="progress"][value="digest"]').check()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(t["saved"])).to_be_visible()
    expect(page.locator('input[name="progress"][value="digest"]')).to_be_checked()
    _scan(page, axe_source)
    page.goto(f"/gebied/{AREA}")
    page.get_by_role("button", name=t["unfollow"]).click()
    expect(page.get_by_role("button", name=t["follow"], exact=True)).to_be_visible()

    # The link in an e-mail works in a browser that is not logged in.
    from buurtbegroting.extensions import db
    from buurtbegroting.follows.tokens import make_token
    from buurtbegroting.models import FollowEvent, User

    with live_app.test_request_context():
        bram = db.session.scalar(select(User.id).where(User.email == BRAM[0]))
        token = make_token(bram, FollowEvent.NEWSLETTER)
        db.session.remove()
    visitor = new_phone_context(lang, bypass_csp=True).new_page()
    visitor.goto(f"/afmelden/{token}")
    _scan(visitor, axe_source)
    visitor.get_by_role("button", name=t["stop"]).click()
    expect(visitor.get_by_text(t["done"])).to_be_visible()
    _scan(visitor, axe_source)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_coordinator_previews_a_newsletter(new_phone_context, axe_source, lang):
    t = TEXT[lang]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    _log_in(page, COORDINATOR, lang)
    page.goto(f"/gebied/{AREA}")
    page.locator('a[href*="/beheer/nieuwsbrief/gebied/"]').click()
    _scan(page, axe_source)
    page.locator("#subject").fill("Nieuws uit Ruwaard")
    page.locator("#text").fill("Beste buren,\n\nDe bankjes komen er.")
    page.get_by_role("button", name=t["preview"]).click()
    expect(page.get_by_text("De bankjes komen er.").first).to_be_visible()
    _scan(page, axe_source)
    # Sent empty: the errors at the fields, and still no serious violations.
    page.locator("#subject").fill("")
    page.get_by_role("button", name=t["preview"]).click()
    expect(page.locator(".field.has-error")).to_have_count(1)
    _scan(page, axe_source)
