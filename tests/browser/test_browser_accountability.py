"""Accountability and open data on a phone, in Dutch and in English, in real Chromium.

An initiator of a funded idea posts a progress update with a photo, adds expenses with a
receipt (and tries a text file that calls itself a PDF), adds a milestone, gives a bank
account and sends the final report; the administrator approves it or asks for changes;
a visitor sees the public idea page, /verantwoording and the dashboard, but never the
receipt or the bank account. axe-core scans every accountability page, with errors too.

The demo's closed round "Buurtbudget Berghem 2025" funded three ideas of bram@example.nl,
one per journey, so the runs do not depend on each other. Berghem is not one of the demo
coordinator's areas (Schadewijk and Ruwaard), so the administrator judges the reports; the
journey checks that the coordinator is refused. The scans fund ideas of their own.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageDraw
from playwright.sync_api import Page, expect
from sqlalchemy import select

from buurtbegroting.accountability import services
from buurtbegroting.accountability.receipts import check_receipt
from buurtbegroting.extensions import db
from buurtbegroting.images import process_photo
from buurtbegroting.models import Area, AreaPlan, FundingSource, IdeaStatus, Spearhead
from demo.activity import _area, _idea, _user
from tests.browser.axecheck import blocking_violations, report

pytestmark = pytest.mark.browser

BRAM = ("bram@example.nl", "demo-inwoner")  # the author of the Berghem ideas
ANNA = ("anna@example.nl", "demo-inwoner")  # a resident with nothing to do with them
ADMIN = ("beheerder@buurtbegroting.nl", "demo-beheerder")
COORDINATOR = ("wijkcoordinator@buurtbegroting.nl", "demo-coordinator")  # Schadewijk, Ruwaard
BERGHEM_DORP = "BU08280700"
IBAN = "NL91 ABNA 0417 1643 00"
#: Set BROWSER_SCREENSHOTS to a folder to keep full-page screenshots of the journey.
SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS")

TEXT = {
    "nl": {
        "report_on": "Verantwoording invullen",
        "update_posted": "Uw voortgangsbericht is geplaatst.",
        "expense_added": "De uitgave is toegevoegd.",
        "not_a_receipt": "Dit is geen PDF-, JPEG- of PNG-bestand.",
        "milestone_added": "De mijlpaal is toegevoegd.",
        "bank_saved": "Uw bankrekening is opgeslagen.",
        "saved": "Opgeslagen.",
        "write_report": "Het eindverslag schrijven",
        "send_report": "Naar de gemeente sturen",
        "report_sent": "Dank u wel! Uw eindverslag is naar de gemeente gestuurd.",
        "being_checked": "Uw eindverslag is verstuurd. De gemeente controleert het.",
        "approved": "Het eindverslag is goedgekeurd.",
        "changes_asked": "De initiatiefnemers is gevraagd het eindverslag aan te passen.",
        "change_your_report": "De gemeente vraagt u uw eindverslag aan te passen",
        "status_approved": "Eindverslag goedgekeurd",
        "status_changes": "Wijzigingen gevraagd in het eindverslag",
        "check_errors": "Controleer het volgende",
        "spent_of": "uitgegeven van",
        "section": "Verantwoording: hoe het ging en wat het kostte",
        "overview": "Wat er met het geld gebeurd is",
        "milestones_done": "1 van 1 mijlpalen klaar",
        "logged_out": "U bent uitgelogd.",
    },
    "en": {
        "report_on": "Report on this idea",
        "update_posted": "Your update has been posted.",
        "expense_added": "The expense has been added.",
        "not_a_receipt": "This is not a PDF, JPEG or PNG file.",
        "milestone_added": "The milestone has been added.",
        "bank_saved": "Your bank account has been saved.",
        "saved": "Saved.",
        "write_report": "Write the final report",
        "send_report": "Send to the municipality",
        "report_sent": "Thank you! Your report has been sent to the municipality.",
        "being_checked": "Your report has been sent. The municipality is checking it.",
        "approved": "The report has been approved.",
        "changes_asked": "The initiators have been asked to change the report.",
        "change_your_report": "The municipality asks you to change your report",
        "status_approved": "Report approved",
        "status_changes": "Changes asked for the report",
        "check_errors": "Please check the following",
        "spent_of": "spent of",
        "section": "Accountability: how it went and what it cost",
        "overview": "What happened with the money",
        "milestones_done": "1 of 1 milestones done",
        "logged_out": "You are logged out.",
    },
}


# --- files ------------------------------------------------------------------------------------


def photo_with_gps() -> bytes:
    """Return a JPEG as a phone makes it: a camera name and the place it was taken."""
    image = Image.new("RGB", (1200, 900), (46, 125, 50))
    draw = ImageDraw.Draw(image)
    draw.rectangle([100, 450, 700, 800], fill=(121, 85, 72))
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


def minimal_pdf(text: str = "Bon 12,50") -> bytes:
    """Return a one-page PDF with a line of text, with a correct cross-reference table."""
    stream = zlib.compress(f"BT /F1 18 Tf 40 780 Td ({text}) Tj ET".encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _jpeg() -> dict:
    return {"name": "zandbak.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}


def _pdf() -> dict:
    return {"name": "bon-bouwmarkt.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}


def _fake_pdf() -> dict:
    """A text file that calls itself a PDF."""
    return {
        "name": "bon.pdf",
        "mimeType": "application/pdf",
        "buffer": b"Bouwmarkt, zand 12,50\nBetaald met pin\n" * 20,
    }


# --- helpers ----------------------------------------------------------------------------------


def _shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _flash(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


#: Controls a thumb must hit: buttons, fields (not checkboxes: their label is the target),
#: and links that stand alone rather than in a sentence.
CONTROLS = (
    "main button, main .button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    "main select, main textarea, main label.check, main summary, main .pill-list a, "
    "main .crumbs a, main .acc-links a"
)


def _check_layout(page: Page) -> None:
    """Nothing sticks out on a 390 px phone, and every control is at least 44 px high."""
    # Measure the page as shown: a click returns before its stylesheet has loaded.
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 390:
        wide = page.eval_on_selector_all(
            "main *",
            "els => els.filter(e => e.getBoundingClientRect().right > 390).slice(0, 5)"
            ".map(e => e.outerHTML.slice(0, 120))",
        )
        pytest.fail(f"{page.url} scrolls sideways: {width} px wide on a 390 px screen: {wide}")
    # Text wider than its own box (a long word in a figure, say) spills over its border.
    spilled = page.eval_on_selector_all(
        "main :is(dt, dd, th, td, p, li, h1, h2, h3, summary, label, a.button, button)",
        """els => els.filter(e => e.getClientRects().length && e.scrollWidth > e.clientWidth + 1
                && getComputedStyle(e).display !== 'inline')
            .map(e => [e.outerHTML.slice(0, 90), e.clientWidth, e.scrollWidth])""",
    )
    assert not spilled, f"text spills out of its box on {page.url}: {spilled}"
    small = page.eval_on_selector_all(
        CONTROLS,
        """els => els.filter(e => e.getClientRects().length && !e.closest('[aria-hidden=true]')).map(e => {
            const r = e.getBoundingClientRect();
            return [e.outerHTML.slice(0, 90), Math.round(r.width), Math.round(r.height)];
        }).filter(([, w, h]) => h < 44 || w < 24)""",
    )
    assert not small, f"controls under 44 px high on {page.url}: {small}"


def _use_language(page: Page, lang: str) -> None:
    """Press the header's language button unless the page is in that language already.

    For a logged-in user this also sets the account's language (the demo accounts are Dutch).
    """
    if page.locator("html").get_attribute("lang") != lang:
        page.locator(f'header button[name="lang"][value="{lang}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _log_in(page: Page, account: tuple[str, str], lang: str) -> None:
    answer = page.goto("/inloggen")
    # Once in a full run the login form was not there within 10 s: say what the page was.
    if answer is None or not answer.ok or page.locator("#email").count() == 0:
        main = page.locator("main").inner_text() if page.locator("main").count() else ""
        status = answer.status if answer else None
        raise AssertionError(f"no login form: {status} at {page.url}: {main[:400]!r}")
    page.locator("#email").fill(account[0])
    page.locator("#password").fill(account[1])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/inloggen" not in page.url, "the login failed"
    _use_language(page, lang)


def _submit(page: Page, button) -> None:
    """Press a form's button and wait for the page that answers."""
    with page.expect_navigation():
        button.click()


def _idea_id(page: Page) -> int:
    return int(re.search(r"/(?:ideeen|verantwoording/idee)/(\d+)", page.url).group(1))


# --- the journey ------------------------------------------------------------------------------


def _open_workspace(page: Page, t: dict, title: str) -> int:
    """From "My ideas" to the idea's page and on to its workspace; return the idea's id."""
    page.goto("/mijn-ideeen")
    page.locator("main").get_by_role("link", name=title, exact=True).first.click()
    idea_id = _idea_id(page)
    page.locator("section.acc-section").get_by_role("link", name=t["report_on"]).click()
    expect(page).to_have_url(re.compile(f"/verantwoording/idee/{idea_id}$"))
    _check_layout(page)
    return idea_id


def _post_update_with_photo(page: Page, t: dict) -> None:
    """A progress update with a photo straight from a phone: the served photo has no GPS."""
    page.locator("#text").fill("De grond is klaargemaakt. Volgende week komt het zand.")
    page.locator("#photos").set_input_files(files=[_jpeg()])
    _submit(page, page.locator("#add_update"))
    _flash(page, t["update_posted"])
    thumb = page.locator(".acc-updates img").first
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo did not load"
    for url in (thumb.get_attribute("src"), thumb.get_attribute("src").split("?")[0]):
        served = page.request.get(url)
        assert served.status == 200 and served.headers["content-type"].startswith("image/"), url
        exif = Image.open(io.BytesIO(served.body())).getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo), f"{url} still tells where it was taken"
        assert ExifTags.Base.Make not in exif, f"{url} still names the camera"


def _add_expenses(page: Page, t: dict, today: date) -> str:
    """A text file that calls itself a PDF is refused and nothing typed is lost; then a real PDF.

    Return the URL of the receipt.
    """
    page.locator("#description").fill("Zand voor de zandbak")
    page.locator("#amount").fill("12,50")
    page.locator("#spent_on").fill(today.isoformat())
    page.locator("#receipt").set_input_files(files=[_fake_pdf()])
    _submit(page, page.locator("#add_expense"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(t["check_errors"])
    expect(summary.locator('a[href="#receipt"]')).to_have_count(1)
    expect(page.locator("#receipt-error")).to_contain_text(t["not_a_receipt"])
    expect(page.locator("#receipt")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#description")).to_have_value("Zand voor de zandbak")
    expect(page.locator("#amount")).to_have_value("12,50")
    expect(page.locator("#spent_on")).to_have_value(today.isoformat())
    expect(page.locator("section:has(#expenses) table")).to_have_count(0)  # nothing half-saved
    _check_layout(page)
    _shot(page, f"{page.locator('html').get_attribute('lang')}-workspace-receipt-error")

    page.locator("#receipt").set_input_files(files=[_pdf()])
    _submit(page, page.locator("#add_expense"))
    _flash(page, t["expense_added"])
    receipt_link = page.locator("section:has(#expenses) a[href$='/bon']")
    expect(receipt_link).to_contain_text("Zand voor de zandbak")
    receipt_url = receipt_link.get_attribute("href")
    own = page.request.get(receipt_url)
    assert own.status == 200, own.status
    assert own.headers["content-type"] == "application/pdf"
    assert own.body() == minimal_pdf()
    return receipt_url


def _add_milestone_and_bank_account(page: Page, t: dict, today: date) -> None:
    page.locator("#title").fill("Zandbak gevuld")
    page.locator("#planned_on").fill((today + timedelta(days=14)).isoformat())
    _submit(page, page.locator("#add_milestone"))
    _flash(page, t["milestone_added"])
    milestone = page.locator(".acc-milestones li").filter(has_text="Zandbak gevuld")
    milestone.locator("input[type=date]").fill(today.isoformat())
    _submit(page, milestone.locator("form.acc-inline-form button"))
    _flash(page, t["saved"])
    expect(page.locator("section:has(#status)")).to_contain_text(t["milestones_done"])

    # The bank account for the payout: masked, even for its owner.
    page.locator("#bank_account").fill(IBAN)
    _submit(page, page.locator("#save_bank_account"))
    _flash(page, t["bank_saved"])
    facts = page.locator("section:has(#payout) dl")
    expect(facts).to_contain_text("4300")
    expect(facts).not_to_contain_text("0417")
    _check_layout(page)


def _send_report(page: Page, t: dict) -> None:
    """Write the final report and send it; the workspace's forms close behind it."""
    page.get_by_role("link", name=t["write_report"]).first.click()
    page.locator("#text").fill("Het speelveld is klaar. De kinderen spelen er elke dag.")
    page.locator("#participants").fill("35")
    _check_layout(page)
    _submit(page, page.get_by_role("button", name=t["send_report"]))
    _flash(page, t["report_sent"])
    expect(page.locator("main")).to_contain_text(t["being_checked"])
    expect(page.locator("#add_expense")).to_have_count(0)


def _judge(page: Page, t: dict, lang: str, idea_id: int, title: str, decision: str, message: str):
    """The administrator finds the idea in the list and approves it or asks for changes."""
    _log_in(page, ADMIN, lang)
    page.goto("/beheer/verantwoording/")
    _check_layout(page)
    page.locator("main").get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_url(re.compile(f"/beheer/verantwoording/{idea_id}$"))
    _check_layout(page)
    page.locator("#decision").select_option(decision)
    page.locator("#message").fill(message)
    _shot(page, f"{lang}-manage")
    _submit(page, page.locator("#save_review"))
    _flash(page, t["approved"] if decision == "approve" else t["changes_asked"])


JOURNEYS = [
    # The full journey in both languages; the request for changes once, in short.
    pytest.param("nl", "Speeltoestel voor peuters", "approve", id="nl-approve"),
    pytest.param("en", "Bloemen langs de Hoofdstraat", "approve", id="en-approve"),
    pytest.param("nl", "Kerstmarkt", "changes", id="nl-changes"),
]


@pytest.mark.parametrize(("lang", "title", "decision"), JOURNEYS)
def test_initiator_reports_municipality_judges_visitor_sees_the_figures(
    new_phone_context, lang, title, decision
):
    t = TEXT[lang]
    today = date.today()
    full = decision == "approve"
    context = new_phone_context(lang)
    page = context.new_page()

    # Bram reports on his funded idea and sends the final report.
    _log_in(page, BRAM, lang)
    idea_id = _open_workspace(page, t, title)
    workspace = page.url
    receipt_url = None
    if full:
        _post_update_with_photo(page, t)
        receipt_url = _add_expenses(page, t, today)
        _add_milestone_and_bank_account(page, t, today)
        _shot(page, f"{lang}-workspace")
    _send_report(page, t)
    context.clear_cookies()

    if full:
        # Berghem is not one of the demo coordinator's areas: refused, even by direct URL,
        # and the receipt too.
        _log_in(page, COORDINATOR, lang)
        refused = page.goto(f"/beheer/verantwoording/{idea_id}")
        assert refused is not None and refused.status in (403, 404), refused.status
        refused = page.request.get(receipt_url, max_redirects=0)
        assert refused.status in (403, 404), refused.status
        context.clear_cookies()

    # The administrator judges the report.
    message = "" if full else "Vertel ook hoeveel kramen er stonden, graag."
    _judge(page, t, lang, idea_id, title, decision, message)
    if full:
        expect(page.locator("main")).to_contain_text(IBAN)  # the municipality sees the account
    context.clear_cookies()

    if not full:
        # Bram sees the message on his workspace and on the report, and can change it again.
        _log_in(page, BRAM, lang)
        page.goto(workspace)
        notice = page.locator(".notice").filter(has_text=t["change_your_report"])
        expect(notice).to_contain_text(message)
        expect(page.locator("#add_expense")).to_be_visible()
        page.get_by_role("link", name=t["write_report"]).first.click()
        expect(page.locator(".notice")).to_contain_text(message)
        expect(page.locator("#text")).to_have_value(re.compile("Het speelveld is klaar"))
        _check_layout(page)
        context.clear_cookies()

    # A visitor sees the figures on the idea page, and nothing private.
    visitor = new_phone_context(lang).new_page()
    visitor.goto(f"/ideeen/{idea_id}")
    section = visitor.locator("section.acc-section")
    expect(section.get_by_role("heading", name=t["section"])).to_be_visible()
    expect(section.locator(".acc-figures").first).to_contain_text(t["spent_of"])
    expect(visitor.locator("a[href*='/bon']")).to_have_count(0)
    if not full:
        expect(section).to_contain_text(t["status_changes"])
        expect(section).not_to_contain_text("De kinderen spelen er elke dag.")  # not approved
        return
    expect(section).to_contain_text(t["status_approved"])
    expect(section.locator(".acc-figures").first).to_contain_text(
        "12,50" if lang == "nl" else "12.50"
    )
    expect(section.locator("svg.acc-bar")).to_have_count(2)  # money and milestones
    expect(section).to_contain_text(t["milestones_done"])
    expect(section).to_contain_text("Zand voor de zandbak")
    expect(section.locator(".acc-photos img").first).to_be_visible()
    expect(section).to_contain_text("De kinderen spelen er elke dag.")
    text = visitor.locator("main").inner_text()
    for secret in ("0417", "4300", "NL91", "bon-bouwmarkt"):
        assert secret not in text, f"{secret!r} is on the public page"
    _check_layout(visitor)
    _shot(visitor, f"{lang}-idea-public")

    # The receipt by its URL: a visitor is sent to the login page, and gets no PDF.
    anonymous = visitor.request.get(receipt_url, max_redirects=0)
    assert anonymous.status in (302, 303, 401, 403, 404), anonymous.status
    assert anonymous.headers.get("content-type", "") != "application/pdf"
    if anonymous.status in (302, 303):
        assert "/inloggen" in anonymous.headers["location"]

    # /verantwoording: the idea with its status and its money.
    visitor.goto("/verantwoording")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(t["overview"])
    row = visitor.locator("table.acc-table tr").filter(
        has=visitor.get_by_role("link", name=title, exact=True)
    )
    expect(row).to_contain_text(t["status_approved"])
    expect(row).to_contain_text("12,50" if lang == "nl" else "12.50")
    _check_layout(visitor)
    _shot(visitor, f"{lang}-overview")

    # The dashboard: totals, charts with their numbers in text, CSV files that open.
    visitor.goto("/dashboard")
    kpis = visitor.locator("dl.acc-kpis").first.locator("dd")
    expect(kpis).to_have_count(3)
    assert all(re.search(r"\d", k) for k in kpis.all_inner_texts())
    berghem = visitor.locator("section:has(#by-area) tbody tr").filter(has_text="Berghem")
    expect(berghem).to_have_count(1)
    bars = berghem.locator("svg.acc-bar")
    expect(bars).to_have_count(2)
    assert min(b.bounding_box()["width"] for b in bars.all()) > 250, "the chart is too narrow"
    _check_layout(visitor)
    _shot(visitor, f"{lang}-dashboard")
    csv = visitor.request.get("/dashboard/verantwoording.csv")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    line = next(row for row in csv.text().splitlines() if f";{title};" in row)
    assert ";12,50;" in line, line


# --- axe-core scans ---------------------------------------------------------------------------


@dataclass
class ScanData:
    open: int  # Bram reports on it (a milestone, an update with a photo, an expense); report late
    sent: int  # its report waits for the municipality
    approved: int  # its report is approved, with a photo
    spearhead: int  # a spearhead of Berghem's area plan


def _fund(title: str, cents: int) -> tuple:
    """Make an accepted idea of Bram's in Berghem-Dorp and fund it by cheques."""
    idea = _idea(
        _user(BRAM[0]),
        _area(BERGHEM_DORP),
        title,
        "Een idee om de pagina's van verantwoording te controleren.",
        "Met bankjes, planten en een feest voor de buurt.",
        [("Materiaal", cents)],
        IdeaStatus.ACCEPTED,
    )
    funding = services.fund_idea(idea, source=FundingSource.CHEQUES, amount_cents=cents, actor=None)
    return idea, funding


@pytest.fixture(scope="module")
def scan_data(live_app) -> ScanData:
    """Three funded ideas of Bram's in every state the pages show, made in the live database."""
    photo = photo_with_gps()
    with live_app.test_request_context():
        bram, admin = _user(BRAM[0]), _user(ADMIN[0])
        today = date.today()
        ideas = {}
        for key, title in [
            ("open", "Toegankelijk in uitvoering"),
            ("sent", "Toegankelijk ingestuurd"),
            ("approved", "Toegankelijk goedgekeurd"),
        ]:
            idea, funding = _fund(title, 150_000)
            # The open one ended two months ago: its report is late (highlighted for the municipality).
            services.set_planned_end(funding, today + timedelta(days=-60 if key == "open" else 60))
            services.add_milestone(funding, "Planten kopen", today + timedelta(days=10))
            services.add_update(
                funding, "We zijn begonnen.", [process_photo(photo, 10 << 20)], bram
            )
            services.add_expense(
                funding,
                description="Potgrond en planten",
                amount_cents=4_250,
                spent_on=today,
                receipt=check_receipt(minimal_pdf()),
            )
            services.set_bank_account(funding, IBAN, bram)
            if key != "open":
                services.save_report(
                    funding,
                    text="De planten staan er. Veertig buren hielpen mee.",
                    participants=40,
                    new_photos=[process_photo(photo, 10 << 20)],
                    remove_photo_ids=[],
                    actor=bram,
                    submit=True,
                )
            if key == "approved":
                services.approve_report(funding, admin, "Mooi gedaan.")
            ideas[key] = idea.id
        spearhead_id = db.session.scalar(
            select(Spearhead.id)
            .join(AreaPlan, AreaPlan.id == Spearhead.plan_id)
            .join(Area, Area.id == AreaPlan.area_id)
            .where(Area.name == "Berghem")
            .order_by(Spearhead.id)
        )
        db.session.commit()
        db.session.remove()
    return ScanData(spearhead=spearhead_id, **ideas)


#: Who looks, and at what: paths made from the scan data. Every accountability template and
#: every state of the idea page's section (public, the initiator's, the municipality's).
SCANS = {
    "visitor": (
        None,
        lambda d: [
            f"/ideeen/{d.open}",
            f"/ideeen/{d.approved}",
            "/verantwoording",
            "/verantwoording/gebied/WK082807",  # Berghem
            f"/verantwoording/speerpunt/{d.spearhead}",
            "/dashboard",
        ],
    ),
    "initiator": (
        BRAM,
        lambda d: [
            f"/ideeen/{d.open}",
            f"/verantwoording/idee/{d.open}",
            f"/verantwoording/idee/{d.open}/eindverslag",
            f"/verantwoording/idee/{d.approved}",
        ],
    ),
    "administrator": (
        ADMIN,
        lambda d: [
            f"/ideeen/{d.sent}",
            "/beheer/verantwoording/",
            f"/beheer/verantwoording/{d.sent}",
            f"/beheer/verantwoording/{d.approved}",
        ],
    ),
}


def _scan(page: Page, axe_source: str, lang: str, problems: list, name: str) -> None:
    """Collect serious axe findings and layout problems of the page under its name."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    blocking = blocking_violations(page, axe_source)
    if blocking:
        problems.append(f"{name} ({page.url}):\n{report(blocking)}")
    try:
        _check_layout(page)
    except (AssertionError, pytest.fail.Exception) as error:
        problems.append(f"{name}: {error}")
    _shot(page, f"scan-{lang}-{name}")


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("who", list(SCANS))
def test_accountability_pages_have_no_serious_accessibility_violations(
    new_phone_context, axe_source, scan_data, who, lang
):
    account, paths = SCANS[who]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    if account:
        _log_in(page, account, lang)
    problems: list[str] = []
    for path in paths(scan_data):
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        _scan(page, axe_source, lang, problems, f"{who}{path.rstrip('/').replace('/', '-')}")
        if path == "/beheer/verantwoording/":
            # The late report comes first, highlighted, and a note says so.
            expect(page.locator(".acc-late-note")).to_be_visible()
            late = page.locator("tr.acc-overdue")
            expect(late.first).to_contain_text("Toegankelijk in uitvoering")
            expect(late.first.locator(".acc-late")).to_be_visible()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_accountability_forms_with_errors_have_no_serious_accessibility_violations(
    new_phone_context, axe_source, scan_data, lang
):
    t = TEXT[lang]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    problems: list[str] = []

    def sent_with_errors(field: str, name: str | None = None) -> None:
        """The summary links to the field, which says what is wrong; scan when named."""
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text(t["check_errors"])
        expect(summary.locator(f'a[href="#{field}"]')).to_have_count(1)
        expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
        described = page.locator(f"#{field}").get_attribute("aria-describedby").split()
        assert f"{field}-error" in described, described
        expect(page.locator(f'label[for="{field}"]')).to_have_count(1)
        if name:
            _scan(page, axe_source, lang, problems, name)

    # The initiator: a milestone done in the future, a photo that is not one, an expense
    # with an amount in words and a false receipt, a report without text.
    _log_in(page, BRAM, lang)
    workspace = f"/verantwoording/idee/{scan_data.open}"
    page.goto(workspace)
    page.locator(".acc-milestones input[type=date]").first.fill(
        (date.today() + timedelta(days=3)).isoformat()
    )
    _submit(page, page.locator(".acc-milestones form.acc-inline-form button").first)
    done = page.locator(".acc-milestones input[type=date]").first
    expect(done).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{done.get_attribute('aria-describedby')}")).to_be_visible()
    _scan(page, axe_source, lang, problems, "milestone-done")

    page.locator("#text").fill("Een bericht met een foto die geen foto is.")
    page.locator("#photos").set_input_files(
        files=[{"name": "notities.jpg", "mimeType": "image/jpeg", "buffer": b"geen foto\n" * 50}]
    )
    _submit(page, page.locator("#add_update"))
    sent_with_errors("photos", "update")
    expect(page.locator("#photos-error")).to_contain_text("notities.jpg")
    expect(page.locator("#text")).to_have_value("Een bericht met een foto die geen foto is.")

    page.goto(workspace)
    page.locator("#amount").fill("twintig euro")
    page.locator("#receipt").set_input_files(files=[_fake_pdf()])
    _submit(page, page.locator("#add_expense"))
    sent_with_errors("amount")
    sent_with_errors("receipt", "expense")

    page.goto(f"{workspace}/eindverslag")
    page.locator("#participants").fill("veel")
    _submit(page, page.get_by_role("button", name=t["send_report"]))
    sent_with_errors("participants")
    sent_with_errors("text", "report")

    # The municipality: changes asked without saying which, a payout above the funded
    # amount, more paid back than paid out (its field has an id of its own).
    page.context.clear_cookies()
    _log_in(page, ADMIN, lang)
    manage = f"/beheer/verantwoording/{scan_data.sent}"
    page.goto(manage)
    page.locator("#decision").select_option("changes")
    _submit(page, page.locator("#save_review"))
    sent_with_errors("message", "review")

    page.locator("#amount").fill("99.999,00")
    page.locator("#paid_on").fill(date.today().isoformat())
    page.locator("#reference").fill("BB-2026-0001")
    _submit(page, page.locator("#save_payout"))
    sent_with_errors("amount", "payout")
    page.locator("#returned_amount").fill("99.999,00")
    _submit(page, page.locator("#save_return"))
    sent_with_errors("returned_amount")
    assert not problems, "\n".join(problems)
