"""Turkish and Arabic on a phone: the switch, right-to-left mirroring, nothing too wide, axe clean.

Screenshots of every page are written to bench/out/i18n/ (or BROWSER_SCREENSHOTS) to look at
the mirroring by eye.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from demo.activity import demo_codes
from tests.browser.axecheck import blocking_violations, report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS") or ROOT / "bench" / "out" / "i18n")
NAMES = {"tr": "Türkçe", "ar": "العربية"}
AREA = "/gebied/WK082803"
#: The demo code no other browser test uses; the ballot is only looked at, never sent.
VIEW_CODE = demo_codes()[4]


def _check(page: Page, axe_source: str, lang: str, name: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    page.wait_for_load_state()  # the stylesheet too, before measuring
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} in {lang} scrolls sideways: {width} px on a 390 px screen"
    # Mirroring: the brand starts the header row, on the right in Arabic and the left in Turkish.
    brand = page.locator(".brand").bounding_box()
    if lang == "ar":
        assert brand["x"] + brand["width"] > 390 - 40, f"{name}: the brand is not on the right"
    else:
        assert brand["x"] < 40, f"{name}: the brand is not on the left"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{lang}-{name}.png"), full_page=True)
    blocking = blocking_violations(page, axe_source)
    assert not blocking, f"axe on {name} in {lang}:\n{report(blocking)}"


@pytest.mark.parametrize("lang", ["ar", "tr"])
def test_pages_in_turkish_and_arabic_on_a_phone(new_phone_context, axe_source, lang):
    page = new_phone_context("nl", bypass_csp=True).new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    switch = page.locator("form.lang")
    expect(switch.locator("button")).to_have_count(4)
    with page.expect_navigation():
        switch.get_by_role("button", name=NAMES[lang]).click()
    expect(switch.get_by_role("button", name=NAMES[lang])).to_have_attribute("aria-pressed", "true")
    _check(page, axe_source, lang, "home")

    page.goto(AREA)
    _check(page, axe_source, lang, "area")
    # The map is geometry: it keeps its left-to-right drawing on a right-to-left page.
    svg = page.locator("svg.map-svg").first
    assert svg.evaluate("e => getComputedStyle(e).direction") == "ltr"

    page.goto("/ideeen")
    href = page.locator("main a[href^='/ideeen/']").filter(has_text=re.compile(r"\w")).first
    page.goto(href.get_attribute("href"))
    _check(page, axe_source, lang, "idea")

    page.goto(f"/stem#{VIEW_CODE}")
    expect(page).to_have_url(re.compile(r"/stemmen/gebied/\d+$"))
    _check(page, axe_source, lang, "ballot")
    # Amounts follow the language: Arabic keeps Latin digits, Turkish writes a decimal comma.
    meter = page.locator(".meter-text").first.text_content()
    assert "€" in meter and re.search(r"\d", meter)

    # Back to Dutch with the switch.
    with page.expect_navigation():
        page.locator("form.lang").get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
