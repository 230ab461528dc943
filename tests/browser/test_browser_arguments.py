"""Arguments on a phone, in Dutch and English: post, reply, mark helpful, report; a moderator hides it.

Bram posts an argument against the demo idea "Zebrapad bij de school"; Anna replies, marks
it helpful and reports it; the area's coordinator hides it from the moderation queue, and
the idea page shows the public reason in its place. axe-core scans the pages on the way.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from buurtbegroting.extensions import db
from buurtbegroting.models import Idea
from tests.browser.axecheck import blocking_violations, report
from tests.browser.test_browser_ideas import _log_in_plain

pytestmark = pytest.mark.browser

ANNA = ("anna@example.nl", "demo-inwoner")
BRAM = ("bram@example.nl", "demo-inwoner")
COORDINATOR = ("wijkcoordinator@buurtbegroting.nl", "demo-coordinator")

TEXT = {
    "nl": {
        "against": "Tegen",
        "post": "Argument plaatsen",
        "posted": "Dank u. Uw argument staat erbij.",
        "reply": "Reageren",
        "reply_post": "Reactie plaatsen",
        "helpful": "Nuttig",
        "found": "Nuttig gevonden: 1",
        "report": "Melden",
        "attack": "persoonlijke aanval",
        "send": "Melding versturen",
        "decide": "Beslissen",
        "hide": "Het argument verbergen",
        "save": "Besluit opslaan",
        "hidden": "Verborgen door de moderator: persoonlijke aanval",
    },
    "en": {
        "against": "Against",
        "post": "Post argument",
        "posted": "Thank you. Your argument has been posted.",
        "reply": "Reply",
        "reply_post": "Post reply",
        "helpful": "Helpful",
        "found": "Found helpful: 1",
        "report": "Report",
        "attack": "personal attack",
        "send": "Send report",
        "decide": "Decide",
        "hide": "Hide the argument",
        "save": "Save decision",
        "hidden": "Hidden by the moderator: personal attack",
    },
}


@pytest.fixture(scope="module")
def idea_id(live_app) -> int:
    """The demo idea that is open for arguments."""
    with live_app.app_context():
        found = db.session.scalar(select(Idea.id).where(Idea.title == "Zebrapad bij de school"))
        db.session.remove()
        return found


def _log_in(page: Page, account: tuple[str, str], lang: str) -> None:
    """Log in, then choose the language (the account keeps the language it chose last)."""
    _log_in_plain(page, account)
    if page.locator("html").get_attribute("lang") != lang:
        with page.expect_navigation():
            page.locator(f'header button[name="lang"][value="{lang}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _clean(page: Page, axe_source: str) -> None:
    found = blocking_violations(page, axe_source)
    assert found == [], report(found)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_argument_is_posted_answered_reported_and_hidden(
    new_phone_context, axe_source, idea_id, lang
):
    t = TEXT[lang]
    words = f"Te weinig ruimte voor een zebrapad ({lang})."
    bram = new_phone_context(lang, bypass_csp=True).new_page()
    _log_in(bram, BRAM, lang)
    bram.goto(f"/ideeen/{idea_id}")
    section = bram.locator("#argumenten")
    section.get_by_label(t["against"], exact=True).check()
    section.locator("textarea").fill(words)
    section.get_by_role("button", name=t["post"]).click()
    expect(bram.get_by_text(t["posted"])).to_be_visible()
    item = bram.locator("li.argument", has_text=words)
    expect(item).to_be_visible()
    _clean(bram, axe_source)

    anna = new_phone_context(lang, bypass_csp=True).new_page()
    _log_in(anna, ANNA, lang)
    anna.goto(f"/ideeen/{idea_id}")
    item = anna.locator("li.argument", has_text=words)
    item.get_by_role("link", name=t["reply"]).click()
    anna.locator("textarea").fill("Er is genoeg ruimte, ik heb het gemeten.")
    anna.get_by_role("button", name=t["reply_post"]).click()
    item = anna.locator("li.argument", has_text=words)
    expect(item.get_by_text("Er is genoeg ruimte")).to_be_visible()
    item.get_by_role("button", name=t["helpful"], exact=True).click()
    item = anna.locator("li.argument", has_text=words)
    expect(item.get_by_text(t["found"])).to_be_visible()
    item.get_by_role("link", name=t["report"]).first.click()
    _clean(anna, axe_source)
    anna.get_by_label(t["attack"]).check()
    anna.get_by_role("button", name=t["send"]).click()
    expect(anna).to_have_url(re.compile(rf"/ideeen/{idea_id}"))

    staff = new_phone_context(lang, bypass_csp=True).new_page()
    _log_in(staff, COORDINATOR, lang)
    staff.goto("/beheer/argumenten/")
    _clean(staff, axe_source)
    staff.locator("li", has_text=words).get_by_role("link", name=t["decide"]).click()
    staff.get_by_label(t["hide"]).check()
    staff.locator("fieldset").nth(1).get_by_label(t["attack"]).check()
    _clean(staff, axe_source)
    staff.get_by_role("button", name=t["save"]).click()
    expect(staff).to_have_url(re.compile(r"/beheer/argumenten/$"))

    anna.goto(f"/ideeen/{idea_id}")
    expect(anna.get_by_text(t["hidden"]).first).to_be_visible()
    expect(anna.get_by_text(words)).to_have_count(0)
