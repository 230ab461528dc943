"""axe-core scans of the public and account pages, in Dutch and in English, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axecheck import assert_no_serious_violations

pytestmark = pytest.mark.browser

LANGS = ["nl", "en"]

PAGES = {
    "home": "/",
    "district": "/gebied/WK082803",  # Ruwaard
    "neighbourhood": "/gebied/BU08280300",  # Ruwaard-Oost
    "login": "/inloggen",
    "register": "/registreren",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(new_phone_context, axe_source, name, lang):
    page = new_phone_context(lang, bypass_csp=True).new_page()
    response = page.goto(PAGES[name])
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_no_serious_violations(page, axe_source)


@pytest.mark.parametrize("lang", LANGS)
def test_register_page_with_errors_has_no_serious_accessibility_violations(
    new_phone_context, axe_source, lang
):
    page = new_phone_context(lang, bypass_csp=True).new_page()
    page.goto("/registreren")
    # Every field wrong or empty: the error summary and an error at each field.
    page.locator("#postcode").fill("abc")
    page.locator("#email").fill("geen-adres")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#postcode-error")).to_be_visible()
    assert_no_serious_violations(page, axe_source)


@pytest.mark.parametrize("lang", LANGS)
def test_not_found_page_has_no_serious_accessibility_violations(
    new_phone_context, axe_source, lang
):
    page = new_phone_context(lang, bypass_csp=True).new_page()
    response = page.goto("/gebied/BU99999999")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_no_serious_violations(page, axe_source)


#: Links and controls that stand alone (not inside a sentence): a thumb must hit them.
TOUCH_TARGETS = (
    "header a, header button, nav a, nav button, footer a, main button, "
    "main input:not([type=hidden]), main select, .area-list a, .pill-list a"
)


@pytest.mark.parametrize("path", ["/", "/gebieden", "/gebied/WK082803", "/registreren"])
def test_standalone_links_and_controls_are_44px_touch_targets(new_phone_context, path):
    page = new_phone_context("nl").new_page()
    page.goto(path)
    small = page.eval_on_selector_all(
        TOUCH_TARGETS,
        """els => els.filter(e => e.getClientRects().length).map(e => {
            const r = e.getBoundingClientRect();
            return [e.outerHTML.slice(0, 80), Math.round(r.width), Math.round(r.height)];
        }).filter(([, w, h]) => h < 44 || w < 24)""",
    )
    assert not small, f"touch targets under 44 px high on {path}: {small}"


def test_keyboard_focus_is_visible_at_every_stop(new_phone_context):
    page = new_phone_context("nl").new_page()
    page.goto("/gebied/WK082803")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const e = document.activeElement, s = getComputedStyle(e);
                return {at: [...document.querySelectorAll('*')].indexOf(e), tag: e.tagName,
                        text: (e.innerText || e.name || '').trim().slice(0, 30),
                        outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
            }"""
        )
        if focused["tag"] == "BODY" or focused in seen:
            break
        seen.append(focused)
        assert focused["outline"] != "none" and focused["width"] >= 2, focused
    assert len(seen) > 10, seen  # the walk reached the links of the page, not just the header
