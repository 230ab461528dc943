"""Ideas and thematic groups on a phone, in Dutch and in English, in real Chromium.

A resident submits an idea with a photo in four steps, the area's coordinator accepts it
from the review queue, and a visitor sees the public page and prints its poster; a second
resident supports it. A resident starts a thematic group. axe-core scans every page of
these features, also with errors on them.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.browser.axecheck import blocking_violations, report

pytestmark = pytest.mark.browser

ANNA = ("anna@example.nl", "demo-inwoner")  # lives in Ruwaard-Oost (district Ruwaard)
BRAM = ("bram@example.nl", "demo-inwoner")
COORDINATOR = ("wijkcoordinator@buurtbegroting.nl", "demo-coordinator")  # Schadewijk, Ruwaard
OTHER = {"nl": "en", "en": "nl"}
#: Set BROWSER_SCREENSHOTS to a folder to keep a screenshot of every page the journey sees.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")

TEXT = {
    "nl": {
        "email": "E-mailadres",
        "password": "Wachtwoord",
        "login": "Inloggen",
        "logged_in": "U bent ingelogd.",
        "logout": "Uitloggen",
        "logged_out": "U bent uitgelogd.",
        "ideas": "Ideeën",
        "share": "Deel een idee",
        "step": "Stap {n} van 5",
        "title": "Titel",
        "summary": "Samenvatting",
        "description": "Beschrijving",
        "area": "Gebied",
        "save": "Opslaan en verder",
        "draft_saved": "Uw idee is bewaard als concept.",
        "saved": "Opgeslagen.",
        "theme_h1": "Bij welke doelen helpt uw idee?",
        "costs_h1": "Wat kost uw idee?",
        "vote": "Met een stemming over het buurtbudget",
        "item": "Onderdeel {n}",
        "amount": "Bedrag in euro {n}",
        "more_rows": "Meer regels",
        "photos_h1": "Foto's, plek en mensen",
        "add_photos": "Foto's toevoegen",
        "location": "Plek (niet verplicht)",
        "check_h1": "Controleer uw idee",
        "photo_count": "Foto's: 1",
        "send": "Stuur mijn idee naar de gemeente",
        "sent": "Dank u wel! Uw idee is naar de gemeente gestuurd.",
        "submitted": "Ingediend",
        "review": "Beoordelen",
        "review_h1": "Ideeën beoordelen",
        "accept_vote": "Goedkeuren voor een stemming over het buurtbudget",
        "save_decision": "Besluit opslaan",
        "decided": "Het besluit is opgeslagen. De indiener heeft een e-mail gekregen.",
        "accepted": "Goedgekeurd",
        "destination": "Stemming over het buurtbudget",
        "total": r"Totaal\s*€\s?3\.250,50",
        "photo_alt": "Foto 1 van {title}",
        "poster": "Print een poster met een QR-code",
        "poster_call": "Scan de code om meer te lezen en dit idee te steunen.",
        "qr": "QR-code die naar dit idee leidt",
        "login_to_support": "Log in om dit idee te steunen",
        "support": "Ik steun dit idee",
        "thanks_support": "Dank u wel voor uw steun.",
        "you_support": "U steunt dit idee.",
        "groups": "Groepen",
        "groups_h1": "Themagroepen",
        "start_group": "Start een groep",
        "group_name": "Naam van de groep",
        "own_theme": "Eigen thema",
        "start_the_group": "Groep starten",
        "group_started": "Uw groep is gestart. U bent de coördinator.",
        "coordinator": "coördinator",
        "check_errors": "Controleer het volgende",
        "not_a_photo": "Dit bestand is geen foto die we kunnen lezen.",
    },
    "en": {
        "email": "E-mail address",
        "password": "Password",
        "login": "Log in",
        "logged_in": "You are logged in.",
        "logout": "Log out",
        "logged_out": "You are logged out.",
        "ideas": "Ideas",
        "share": "Share an idea",
        "step": "Step {n} of 5",
        "title": "Title",
        "summary": "Summary",
        "description": "Description",
        "area": "Area",
        "save": "Save and continue",
        "draft_saved": "Your idea has been saved as a draft.",
        "saved": "Saved.",
        "theme_h1": "Which goals does your idea help?",
        "costs_h1": "What does your idea cost?",
        "vote": "By a vote on the neighbourhood budget",
        "item": "Item {n}",
        "amount": "Amount in euros {n}",
        "more_rows": "More rows",
        "photos_h1": "Photos, place and people",
        "add_photos": "Add photos",
        "location": "Location (optional)",
        "check_h1": "Check your idea",
        "photo_count": "Photos: 1",
        "send": "Send my idea to the municipality",
        "sent": "Thank you! Your idea has been sent to the municipality.",
        "submitted": "Submitted",
        "review": "Review",
        "review_h1": "Review ideas",
        "accept_vote": "Accept for a vote on the neighbourhood budget",
        "save_decision": "Save decision",
        "decided": "The decision has been saved. The author has been told by e-mail.",
        "accepted": "Accepted",
        "destination": "Vote on the neighbourhood budget",
        "total": r"Total\s*€3,250\.50",
        "photo_alt": "Photo 1 of {title}",
        "poster": "Print a poster with a QR code",
        "poster_call": "Scan the code to read more and to support this idea.",
        "qr": "QR code that leads to this idea",
        "login_to_support": "Log in to support this idea",
        "support": "I support this idea",
        "thanks_support": "Thank you for your support.",
        "you_support": "You support this idea.",
        "groups": "Groups",
        "groups_h1": "Thematic groups",
        "start_group": "Start a group",
        "group_name": "Name of the group",
        "own_theme": "Own theme",
        "start_the_group": "Start the group",
        "group_started": "Your group has been started. You are its coordinator.",
        "coordinator": "coordinator",
        "check_errors": "Please check the following",
        "not_a_photo": "This file is not a photo we can read.",
    },
}

DESCRIPTION = (
    "In het Ruwaardpark is nergens een plek om even te zitten.\n"
    "\n"
    "Wat we willen:\n"
    "- drie bankjes langs het wandelpad\n"
    "- een prullenbak bij elk bankje\n"
    "\n"
    "Buren helpen met het onderhoud."
)


# --- helpers ----------------------------------------------------------------------------------


def photo_with_gps() -> bytes:
    """Return a JPEG as a phone makes it: a camera name and the place it was taken."""
    image = Image.new("RGB", (1200, 900), (46, 125, 50))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1200, 80):
        draw.rectangle([x, 500, x + 40, 900], fill=(121, 85, 72))
    draw.ellipse([850, 80, 1050, 280], fill=(255, 213, 79))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Testcamera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (51.0, 45.0, 36.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (5.0, 31.0, 12.0),
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # really there
    return data


def _jpeg(name: str = "bankjes.jpg") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": photo_with_gps()}


def _shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _assert_fits_the_phone(page: Page) -> None:
    # Measure the page as shown: a click returns before its stylesheet has loaded.
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 390:  # name what sticks out
        wide = page.eval_on_selector_all(
            "body *",
            "els => els.filter(e => e.getBoundingClientRect().right > 390).slice(-5)"
            ".map(e => e.outerHTML.slice(0, 160))",
        )
        pytest.fail(f"{page.url} scrolls sideways: {width} px wide on a 390 px screen: {wide}")


#: Controls a thumb must hit: every button, and every field but checkboxes and radios
#: (their whole label is the target).
CONTROLS = (
    "main button, main .button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    "main select, main textarea, main label.check, .steps-nav a"
)


def _small_controls(page: Page) -> list:
    return page.eval_on_selector_all(
        CONTROLS,
        """els => els.filter(e => e.getClientRects().length && !e.closest('[aria-hidden=true]')).map(e => {
            const r = e.getBoundingClientRect();
            return [e.outerHTML.slice(0, 90), Math.round(r.width), Math.round(r.height)];
        }).filter(([, w, h]) => h < 44 || w < 24)""",
    )


def _check_layout(page: Page) -> None:
    # Measure the page as shown: a click returns before its stylesheet has loaded.
    page.wait_for_load_state()
    _assert_fits_the_phone(page)
    small = _small_controls(page)
    assert not small, f"controls under 44 px high on {page.url}: {small}"


def _use_language(page: Page, lang: str) -> None:
    """Press the header's language button, unless the page is in that language already.

    For a logged-in user the button also changes the account's language, which wins over
    the browser's; the demo accounts start in Dutch.
    """
    if page.locator("html").get_attribute("lang") != lang:
        page.locator(f'header button[name="lang"][value="{lang}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(f'header button[value="{lang}"]')).to_have_attribute("aria-pressed", "true")


def _log_in(page: Page, lang: str, account: tuple[str, str]) -> None:
    """Log in through the header's link and the form; then make sure of the language."""
    t = TEXT[lang]
    _nav(page, t["login"])
    page.get_by_label(t["email"], exact=True).fill(account[0])
    page.get_by_label(t["password"], exact=True).fill(account[1])
    page.locator("main").get_by_role("button", name=t["login"]).click()
    expect(page.get_by_role("button", name=re.compile("^(Uitloggen|Log out)$"))).to_be_visible()
    _use_language(page, lang)


def _log_out(page: Page, t: dict) -> None:
    page.get_by_role("button", name=t["logout"]).click()
    _flash(page, t["logged_out"])


def _nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name=re.compile("Hoofdmenu|Main menu")).get_by_role(
        "link", name=name, exact=True
    ).click()


# --- the journey ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_idea_with_photo_is_submitted_accepted_shown_printed_and_supported(new_phone_context, lang):
    t = TEXT[lang]
    title = f"Bankjes in het Ruwaardpark ({lang})"

    # Anna's browser asks for the other language and runs no JavaScript: the header's
    # language buttons switch, and every step works with plain forms.
    page = new_phone_context(OTHER[lang], javascript=False).new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", OTHER[lang])
    _use_language(page, lang)
    _log_in(page, lang, ANNA)

    # Step 1, from the ideas page.
    _nav(page, t["ideas"])
    expect(page.locator("h1")).to_have_text(t["ideas"])
    page.locator("main").get_by_role("link", name=t["share"], exact=True).click()
    expect(page.locator(".step-count")).to_have_text(t["step"].format(n=1))
    _shot(page, f"{lang}-1-step1")
    _check_layout(page)
    page.get_by_label(t["title"], exact=True).fill(title)
    page.get_by_label(t["summary"], exact=True).fill("Drie bankjes en prullenbakken langs het pad.")
    page.get_by_label(t["description"], exact=True).fill(DESCRIPTION)
    page.get_by_label(t["area"], exact=True).select_option(label="— Ruwaard-Oost")
    page.get_by_role("button", name=t["save"]).click()

    # Step 2: one of the district's spearheads.
    _flash(page, t["draft_saved"])
    expect(page).to_have_url(re.compile(r"/ideeen/\d+/stap/2$"))
    idea_id = int(re.search(r"/ideeen/(\d+)/", page.url).group(1))
    expect(page.locator("h1")).to_have_text(t["theme_h1"])
    expect(page.locator(".step-count")).to_have_text(t["step"].format(n=2))
    _shot(page, f"{lang}-2-step2")
    _check_layout(page)
    page.get_by_role("checkbox", name=re.compile("^Verkeersveiligheid")).check()
    page.get_by_role("button", name=t["save"]).click()

    # Step 3: a vote, two cost lines in Dutch notation; "More rows" works without scripts.
    _flash(page, t["saved"])
    expect(page.locator("h1")).to_have_text(t["costs_h1"])
    page.get_by_label(t["vote"]).check()
    page.get_by_label(t["item"].format(n=1), exact=True).fill("Drie bankjes")
    page.get_by_label(t["amount"].format(n=1), exact=True).fill("1.250,50")
    rows = page.locator(".cost-row")
    before = rows.count()
    page.get_by_role("button", name=t["more_rows"]).click()
    expect(rows).to_have_count(before + 3)
    expect(page.get_by_label(t["item"].format(n=1), exact=True)).to_have_value("Drie bankjes")
    expect(page.get_by_label(t["amount"].format(n=1), exact=True)).to_have_value("1.250,50")
    expect(page.get_by_label(t["vote"])).to_be_checked()
    _shot(page, f"{lang}-3-step3")
    _check_layout(page)
    page.get_by_label(t["item"].format(n=2), exact=True).fill("Prullenbakken en plaatsen")
    amount = page.get_by_label(t["amount"].format(n=2), exact=True)
    amount.fill("2000")
    # Enter in a field (the phone keyboard's "Go") saves; it must not add rows.
    amount.press("Enter")

    # Step 4: a real photo with GPS data in it.
    _flash(page, t["saved"])
    expect(page.locator("h1")).to_have_text(t["photos_h1"])
    _shot(page, f"{lang}-4-step4")
    _check_layout(page)
    page.get_by_label(t["add_photos"]).set_input_files(files=[_jpeg()])
    page.get_by_label(t["location"], exact=True).fill("Ruwaardpark, bij de vijver")
    page.get_by_role("button", name=t["save"]).click()

    # Check and send.
    _flash(page, t["saved"])
    expect(page).to_have_url(re.compile(f"/ideeen/{idea_id}/controleren$"))
    expect(page.locator("h1")).to_have_text(t["check_h1"])
    expect(page.locator("main")).to_contain_text(t["photo_count"])
    expect(page.locator("table.costs")).to_contain_text(re.compile(t["total"]))
    expect(page.locator(".error-summary")).to_have_count(0)
    _shot(page, f"{lang}-5-check")
    _check_layout(page)
    page.get_by_role("button", name=t["send"]).click()
    _flash(page, t["sent"])
    expect(page).to_have_url(re.compile(f"/ideeen/{idea_id}$"))
    expect(page.locator("main .tag").first).to_have_text(t["submitted"])

    # The photo the site serves has lost the camera and the place.
    for src in (
        page.locator(".photo-grid a").first.get_attribute("href"),
        page.locator(".photo-grid img").first.get_attribute("src"),
    ):
        response = page.request.get(src)
        assert response.ok and response.headers["content-type"] == "image/jpeg", src
        served = Image.open(io.BytesIO(response.body()))
        assert served.format == "JPEG"
        exif = served.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo), f"{src} still has GPS data"
        assert ExifTags.Base.Make not in exif, f"{src} still names the camera"
    _log_out(page, t)

    # The coordinator of Ruwaard finds it in the queue and accepts it for a vote.
    _log_in(page, lang, COORDINATOR)
    _nav(page, t["review"])
    expect(page.locator("h1")).to_have_text(t["review_h1"])
    _shot(page, f"{lang}-6-queue")
    _assert_fits_the_phone(page)
    page.locator("main").get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(f"/beheer/beoordelen/{idea_id}$"))
    expect(page.locator("h1")).to_have_text(title)
    _shot(page, f"{lang}-7-review")
    _check_layout(page)
    page.get_by_label(t["accept_vote"]).check()
    page.get_by_role("button", name=t["save_decision"]).click()
    _flash(page, t["decided"])
    expect(page.locator("h1")).to_have_text(t["review_h1"])
    expect(page.locator("main").get_by_role("link", name=title, exact=True)).to_have_count(0)
    _log_out(page, t)

    # A visitor (scripts on, the browser in this language) sees the accepted idea.
    visitor = new_phone_context(lang).new_page()
    visitor.goto(f"/ideeen/{idea_id}")
    expect(visitor.locator("html")).to_have_attribute("lang", lang)
    expect(visitor.locator("h1")).to_have_text(title)
    expect(visitor.locator("main .tag").first).to_have_text(t["accepted"])
    photo = visitor.get_by_role("img", name=t["photo_alt"].format(title=title))
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0
    expect(visitor.locator(".prose li")).to_have_count(2)  # the list in the description
    expect(visitor.locator("main")).to_contain_text(t["destination"])
    expect(visitor.locator("table.costs tfoot")).to_contain_text(re.compile(t["total"]))
    _shot(visitor, f"{lang}-8-idea")
    _check_layout(visitor)

    # Its poster: the title and a QR code drawn in SVG.
    visitor.get_by_role("link", name=t["poster"]).click()
    expect(visitor).to_have_url(re.compile(f"/ideeen/{idea_id}/poster$"))
    expect(visitor.locator("h1")).to_have_text(title)
    qr = visitor.locator("svg.qr")
    expect(qr).to_be_visible()
    expect(qr).to_have_attribute("role", "img")
    expect(qr).to_have_attribute("aria-label", t["qr"])
    assert qr.locator("path").count() >= 1
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 200 and box["width"] <= 390, box
    expect(visitor.locator(".poster-url")).to_contain_text(f"/ideeen/{idea_id}")
    expect(visitor.locator(".poster-call")).to_have_text(t["poster_call"])
    _shot(visitor, f"{lang}-9-poster")
    _assert_fits_the_phone(visitor)

    # Bram logs in from the idea page and supports it: the count goes up by one.
    visitor.goto(f"/ideeen/{idea_id}")
    count = visitor.locator(".support-count strong")
    supporters = int(count.inner_text())
    visitor.get_by_role("link", name=t["login_to_support"]).click()
    visitor.get_by_label(t["email"], exact=True).fill(BRAM[0])
    visitor.get_by_label(t["password"], exact=True).fill(BRAM[1])
    visitor.locator("main").get_by_role("button", name=t["login"]).click()
    expect(visitor).to_have_url(re.compile(f"/ideeen/{idea_id}$"))
    _use_language(visitor, lang)
    visitor.get_by_role("button", name=t["support"]).click()
    _flash(visitor, t["thanks_support"])
    expect(count).to_have_text(str(supporters + 1))
    expect(visitor.locator(".support")).to_contain_text(t["you_support"])
    expect(visitor.get_by_role("button", name=t["support"])).to_have_count(0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_resident_starts_a_thematic_group_and_finds_it_in_the_list(new_phone_context, lang):
    t = TEXT[lang]
    name = f"Groen Ruwaard ({lang})"
    page = new_phone_context(lang).new_page()
    page.goto("/")
    _log_in(page, lang, ANNA)
    _nav(page, t["groups"])
    expect(page.locator("h1")).to_have_text(t["groups_h1"])
    page.locator("main").get_by_role("link", name=t["start_group"]).click()
    expect(page).to_have_url(re.compile("/groepen/nieuw$"))
    page.get_by_label(t["group_name"], exact=True).fill(name)
    page.get_by_label(t["own_theme"], exact=True).fill("Meer bomen en bloemen in de wijk")
    page.get_by_label(t["description"], exact=True).fill(
        "We planten samen bloembollen en zorgen voor de boomspiegels."
    )
    _check_layout(page)
    page.get_by_role("button", name=t["start_the_group"]).click()

    _flash(page, t["group_started"])
    expect(page).to_have_url(re.compile(r"/groepen/\d+$"))
    group_url = page.url
    expect(page.locator("h1")).to_have_text(name)
    member = page.locator("table.members tbody tr").filter(has_text="Anna Jansen")
    expect(member).to_contain_text(t["coordinator"])
    _shot(page, f"{lang}-group")
    _check_layout(page)

    _nav(page, t["groups"])
    card = page.locator(".group-card").filter(has_text=name)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Ruwaard-Oost")
    card.get_by_role("link", name=name).click()
    expect(page).to_have_url(group_url)
    expect(page.locator("h1")).to_have_text(name)


# --- accessibility ----------------------------------------------------------------------------


@dataclass
class ScanData:
    draft: int  # Anna's idea at the check step, with a photo
    submitted: int  # Anna's idea waiting for the coordinator, with a photo
    group: int  # Anna's group


def _log_in_plain(page: Page, account: tuple[str, str]) -> None:
    """Log in on the login page itself (any language)."""
    page.goto("/inloggen")
    page.locator("#email").fill(account[0])
    page.locator("#password").fill(account[1])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/inloggen" not in page.url, "the login failed"


def _write_idea(page: Page, title: str) -> int:
    """Fill the four steps with form names only; return the idea's id (at the check step)."""
    page.goto("/ideeen/nieuw")
    page.locator("#title").fill(title)
    page.locator("#summary").fill("Een idee om de pagina's van ideeën te controleren.")
    page.locator("#description").fill(DESCRIPTION)
    page.locator("main .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/stap/2$"))
    idea_id = int(re.search(r"/ideeen/(\d+)/", page.url).group(1))
    page.locator("input[name=spearhead_ids]").first.check()
    page.locator("main .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/stap/3$"))
    page.locator("input[name=destination][value=budget_round]").check()
    page.locator("#lines-0-item").fill("Bankjes")
    page.locator("#lines-0-amount").fill("3.100")
    page.locator("main .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/stap/4$"))
    page.locator("#photos").set_input_files(files=[_jpeg()])
    page.locator("main .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/controleren$"))
    return idea_id


@pytest.fixture(scope="module")
def scan_data(module_phone_context) -> ScanData:
    """Anna's ideas (one still a draft, one sent) and her group, made once for the scans."""
    page = module_phone_context("nl").new_page()
    _log_in_plain(page, ANNA)
    draft = _write_idea(page, "Toegankelijk concept")
    submitted = _write_idea(page, "Toegankelijk ingediend idee")
    page.locator(f"form[action$='/ideeen/{submitted}/indienen'] button").click()
    expect(page).to_have_url(re.compile(f"/ideeen/{submitted}$"))
    page.goto("/groepen/nieuw")
    page.locator("#name").fill("Toegankelijke groep")
    page.locator("#free_theme").fill("Iedereen doet mee")
    page.locator("#description").fill("We kijken of iedereen de site kan gebruiken.")
    page.locator("main .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/groepen/\d+$"))
    group = int(page.url.rsplit("/", 1)[1])
    return ScanData(draft=draft, submitted=submitted, group=group)


#: Who looks, and at what: paths made from the scan data.
SCANS = {
    "visitor": (
        None,
        lambda d: [
            "/ideeen",
            f"/ideeen/{d.submitted}",
            f"/ideeen/{d.submitted}/poster",
            "/groepen",
            f"/groepen/{d.group}",
        ],
    ),
    "resident": (
        ANNA,
        lambda d: [
            "/ideeen/nieuw",
            *(f"/ideeen/{d.draft}/stap/{n}" for n in (1, 2, 3, 4)),
            f"/ideeen/{d.draft}/controleren",
            f"/ideeen/{d.submitted}",
            "/mijn-ideeen",
            "/groepen/nieuw",
            f"/groepen/{d.group}",
        ],
    ),
    "coordinator": (
        COORDINATOR,
        lambda d: ["/beheer/beoordelen/", f"/beheer/beoordelen/{d.submitted}"],
    ),
}


def _scan_pages(page: Page, axe_source: str, lang: str, paths: list[str]) -> None:
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        blocking = blocking_violations(page, axe_source)
        if blocking:
            problems.append(f"{path}:\n{report(blocking)}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{path}: {width} px wide on a 390 px screen")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("who", list(SCANS))
def test_idea_and_group_pages_have_no_serious_accessibility_violations(
    new_phone_context, axe_source, scan_data, who, lang
):
    account, paths = SCANS[who]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    if account:
        _log_in_plain(page, account)
        _use_language(page, lang)
    _scan_pages(page, axe_source, lang, paths(scan_data))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_idea_steps_with_errors_have_no_serious_accessibility_violations(
    new_phone_context, axe_source, scan_data, lang
):
    t = TEXT[lang]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    _log_in_plain(page, ANNA)
    _use_language(page, lang)
    problems = []

    # Step 1 sent empty: the summary at the top, an error at each field.
    page.goto("/ideeen/nieuw")
    with page.expect_navigation():
        page.get_by_role("button", name=t["save"]).click()
    expect(page.get_by_role("alert")).to_contain_text(t["check_errors"])
    title = page.get_by_label(t["title"], exact=True)
    expect(title).to_have_attribute("aria-invalid", "true")
    assert "title-error" in title.get_attribute("aria-describedby").split()
    for link in page.get_by_role("alert").get_by_role("link").all():
        expect(page.locator(link.get_attribute("href"))).to_have_count(1)
    problems += [f"step 1:\n{report(v)}" for v in [blocking_violations(page, axe_source)] if v]

    # Step 3 with an amount in words: the summary links to that very field.
    page.goto(f"/ideeen/{scan_data.draft}/stap/3")
    page.locator("#lines-1-item").fill("Verf")
    page.locator("#lines-1-amount").fill("twintig euro")
    with page.expect_navigation():
        page.get_by_role("button", name=t["save"]).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(t["check_errors"])
    targets = [a.get_attribute("href") for a in summary.get_by_role("link").all()]
    assert targets == ["#lines-1-amount"], targets
    expect(page.locator("#lines-1-amount")).to_have_attribute("aria-invalid", "true")
    problems += [f"step 3:\n{report(v)}" for v in [blocking_violations(page, axe_source)] if v]

    # Step 4 with a text file that calls itself a JPEG.
    page.goto(f"/ideeen/{scan_data.draft}/stap/4")
    page.get_by_label(t["add_photos"]).set_input_files(
        files=[{"name": "notities.jpg", "mimeType": "image/jpeg", "buffer": b"geen foto\n" * 50}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name=t["save"]).click()
    expect(page.get_by_role("alert")).to_contain_text(t["check_errors"])
    upload = page.get_by_label(t["add_photos"])
    expect(upload).to_have_attribute("aria-invalid", "true")
    described = upload.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{i}").inner_text() for i in described if "error" in i]
    assert any(t["not_a_photo"] in e and "notities.jpg" in e for e in errors), described
    problems += [f"step 4:\n{report(v)}" for v in [blocking_violations(page, axe_source)] if v]
    _assert_fits_the_phone(page)
    assert not problems, "\n".join(problems)
