"""A resident's first visit on a phone, in Dutch and in English, in real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "een lange zin als wachtwoord"
#: Ruwaard-Oost, the neighbourhood of postcode 5344 in the Oss demo data.
RUWAARD_OOST = "BU08280300"
#: The spearheads the demo gives its district, Ruwaard.
RUWAARD_SPEARHEADS = (
    "Verkeersveiligheid",
    "Schone en hele buurt",
    "Ontmoetingsplekken voor jongeren",
)

TEXT = {
    "nl": {
        "home_title": "Beslis samen wat er gebeurt in uw buurt",
        "register": "Registreren",
        "email": "E-mailadres",
        "name": "Uw naam",
        "postcode": "Postcode",
        "password": "Wachtwoord",
        "confirm": "Herhaal het wachtwoord",
        "create": "Account maken",
        "welcome": "Welkom! Uw account is gemaakt.",
        "logout": "Uitloggen",
        "logged_out": "U bent uitgelogd.",
        "login": "Inloggen",
        "logged_in": "U bent ingelogd.",
        "your_postcode": "Uw postcode",
        "find": "Zoek mijn buurt",
        "spearheads": "Speerpunten",
        "figures": "De buurt in cijfers",
        "unknown_postcode": "We kennen deze postcode niet in deze gemeente.",
        "check": "Controleer het volgende",
    },
    "en": {
        "home_title": "Decide together what happens in your neighbourhood",
        "register": "Register",
        "email": "E-mail address",
        "name": "Your name",
        "postcode": "Postcode",
        "password": "Password",
        "confirm": "Repeat the password",
        "create": "Create account",
        "welcome": "Welcome! Your account has been created.",
        "logout": "Log out",
        "logged_out": "You are logged out.",
        "login": "Log in",
        "logged_in": "You are logged in.",
        "your_postcode": "Your postcode",
        "find": "Find my area",
        "spearheads": "Spearheads",
        "figures": "The area in figures",
        "unknown_postcode": "We do not know this postcode in this municipality.",
        "check": "Please check the following",
    },
}
OTHER = {"nl": "en", "en": "nl"}


def _switch_language(page: Page, lang: str) -> None:
    """Press the language button in the header and wait for the page in that language."""
    page.locator(f'header button[name="lang"][value="{lang}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(f'header button[value="{lang}"]')).to_have_attribute("aria-pressed", "true")


def _assert_fits_the_phone(page: Page) -> None:
    # Measure the page as shown: a click returns before its stylesheet has loaded.
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} scrolls sideways: {width} px wide on a 390 px screen"


def _fill_register_form(page: Page, t: dict, email: str, name: str, postcode: str) -> None:
    page.get_by_label(t["email"], exact=True).fill(email)
    page.get_by_label(t["name"], exact=True).fill(name)
    page.get_by_label(t["postcode"], exact=True).fill(postcode)
    page.get_by_label(t["password"], exact=True).fill(PASSWORD)
    page.get_by_label(t["confirm"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t["create"]).click()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_new_resident_registers_logs_out_logs_in_and_finds_their_area(new_phone_context, lang):
    t, other = TEXT[lang], TEXT[OTHER[lang]]
    # The browser asks for the other language, so the header buttons must do the switch.
    page = new_phone_context(OTHER[lang]).new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", OTHER[lang])
    expect(page.locator("h1")).to_have_text(other["home_title"])

    _switch_language(page, lang)
    expect(page.locator("h1")).to_have_text(t["home_title"])
    expect(page.get_by_text(other["home_title"])).to_have_count(0)
    _assert_fits_the_phone(page)

    # Register: the postcode puts the new resident in Ruwaard-Oost.
    page.get_by_role("navigation").get_by_role("link", name=t["register"]).click()
    email = f"nieuw-{lang}@example.nl"
    _fill_register_form(page, t, email, f"Nieuwe bewoner {lang}", "5344 AB")
    # Registering does not log in (the answer is the same for a known address): log in.
    expect(page).to_have_url(re.compile(r"/inloggen"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("button", name=t["logout"])).to_have_count(0)

    page.get_by_label(t["email"], exact=True).fill(email)
    page.get_by_label(t["password"], exact=True).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=t["login"]).click()
    expect(page.get_by_role("status")).to_contain_text(t["logged_in"])
    expect(page.locator("html")).to_have_attribute("lang", lang)

    # Logging in leads to the home page: find the area by postcode there.
    expect(page.locator("h1")).to_have_text(t["home_title"])
    page.get_by_label(t["your_postcode"], exact=True).fill("5344")
    page.get_by_role("button", name=t["find"]).click()
    expect(page).to_have_url(re.compile(f"/gebied/{RUWAARD_OOST}$"))
    expect(page.locator("h1")).to_have_text("Ruwaard-Oost")

    # The area page: the district's spearheads and the indicator chart.
    expect(page.get_by_role("heading", name=t["spearheads"])).to_be_visible()
    spearheads = page.locator("ul.spearheads > li")
    expect(spearheads).to_have_count(len(RUWAARD_SPEARHEADS))
    for title in RUWAARD_SPEARHEADS:
        expect(spearheads.filter(has_text=title)).to_have_count(1)
    expect(page.get_by_role("heading", name=t["figures"])).to_be_visible()
    charts = page.locator("ul.indicators figure.indicator")
    expect(charts).to_have_count(7)
    bars = page.locator("ul.indicators svg rect.bar-area")
    expect(bars.first).to_be_visible()
    assert bars.count() == 5  # the indicators with a municipal average get a bar chart
    widths = [float(bars.nth(i).get_attribute("width")) for i in range(bars.count())]
    assert all(0 < w <= 100 for w in widths), widths
    box = page.locator("ul.indicators svg").first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] >= 20, box
    _assert_fits_the_phone(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_unknown_postcode_at_registration_is_explained_at_the_field(new_phone_context, lang):
    t = TEXT[lang]
    page = new_phone_context(lang).new_page()
    page.goto("/registreren")
    _fill_register_form(page, t, f"buiten-{lang}@example.nl", "Iemand van buiten", "9999 ZZ")

    expect(page.locator("html")).to_have_attribute("lang", lang)
    postcode = page.get_by_label(t["postcode"], exact=True)
    expect(postcode).to_have_attribute("aria-invalid", "true")
    error = page.locator("#postcode-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(t["unknown_postcode"])
    # The error is part of the field's accessible description, next to the hint.
    described_by = postcode.get_attribute("aria-describedby").split()
    assert "postcode-error" in described_by
    expect(page.get_by_role("alert")).to_contain_text(t["check"])
    # What was typed is still there (the postcode in its normalised form).
    expect(postcode).to_have_value(re.compile(r"^9999 ?ZZ$"))
    expect(page.get_by_label(t["email"], exact=True)).to_have_value(f"buiten-{lang}@example.nl")
    expect(page.get_by_label(t["name"], exact=True)).to_have_value("Iemand van buiten")
    _assert_fits_the_phone(page)
