"""Cheques on a phone: open a cheque's QR link, add two codes, give them, see the progress bar move.

The journey runs on a live server of its own (the session server holds no cheques),
with the Oss demo data, one campaign and one initiative that collects cheques.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from buurtbegroting import create_app
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from demo.data import load_demo
from tests.browser.axecheck import assert_no_serious_violations
from tests.dbsupport import database_url, make_config

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


class _Quiet(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture(scope="module")
def cheque_server(tmp_path_factory):
    """Serve the app with a campaign of 10 cheques and an initiative with a target of € 100."""
    from buurtbegroting.cheques import services
    from buurtbegroting.models import (
        Area,
        ChequeCampaign,
        CostLine,
        Destination,
        Idea,
        IdeaStatus,
        User,
    )

    tmp = tmp_path_factory.mktemp("cheques-browser")
    app = create_app(
        make_config(
            database_url(tmp, "chqbrowser"),
            WTF_CSRF_ENABLED=True,
            UPLOAD_FOLDER=str(tmp / "uploads"),
        )
    )
    with app.app_context():
        db.create_all()
        load_demo()
        today = today_nl()
        campaign = ChequeCampaign(
            name="Voorjaar 2027",
            value_cents=750,
            activation_starts_on=today - timedelta(days=1),
            activation_ends_on=today + timedelta(days=41),
            whole_municipality=True,
            cheque_count=10,
        )
        db.session.add(campaign)
        db.session.flush()
        made = services.generate_cheques(campaign, None, lambda c: c)
        area = db.session.query(Area).filter_by(code="BU08280300").one()
        author = db.session.query(User).filter(User.area_id.is_not(None)).first()
        idea = Idea(
            title="Straatfeest Ruwaard-Oost",
            summary="Een middag samen op straat.",
            description="Met springkussen en muziek.",
            area=area,
            author=author,
            status=IdeaStatus.ACCEPTED,
            destination=Destination.CHEQUES,
            target_cents=10_000,
            target_date=today + timedelta(days=20),
            own_theme="Ontmoeten",
        )
        idea.cost_lines = [CostLine(item="Springkussen", amount_cents=3_000, position=0)]
        db.session.add(idea)
        db.session.commit()
        codes = [f"{c.code[:4]}-{c.code[4:8]}-{c.code[8:]}" for c in made]
        idea_id = idea.id
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}", "codes": codes, "idea_id": idea_id}
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture()
def phone(browser, cheque_server):
    contexts = []

    def _new(bypass_csp: bool = False, javascript: bool = True):
        context = browser.new_context(
            base_url=cheque_server["url"],
            locale="nl-NL",
            bypass_csp=bypass_csp,
            java_script_enabled=javascript,
            **PHONE,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


def _give(page, server, codes, check_axe=None):
    idea_url = f"/ideeen/{server['idea_id']}"
    page.goto(idea_url)
    bar = page.locator("progress.cheque-bar")
    before = int(bar.get_attribute("value"))
    page.goto(f"/cheques/inwisselen?code={codes[0]}")
    expect(page.locator("#codes-0")).to_have_value(codes[0])
    for i, code in enumerate(codes[1:], start=1):
        page.get_by_role("button", name="Nog een code toevoegen").click()
        field = page.locator(f"#codes-{i}")
        field.fill(code)
    if check_axe:
        check_axe(page)
    page.get_by_role("button", name="Verder", exact=True).click()
    expect(page.get_by_role("heading", name="Kies een initiatief")).to_be_visible()
    if check_axe:
        check_axe(page)
    page.get_by_label("Straatfeest Ruwaard-Oost").check()
    page.get_by_role("button", name="Verder", exact=True).click()
    expect(page.get_by_role("heading", name="Controleer en geef")).to_be_visible()
    page.get_by_role("button", name="Geef de cheques").click()
    expect(page.get_by_role("heading", name="Bedankt!")).to_be_visible()
    if check_axe:
        check_axe(page)
    page.goto(idea_url)
    after = int(page.locator("progress.cheque-bar").get_attribute("value"))
    assert after == before + 750 * len(codes)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width} px"


def test_phone_journey_qr_link_two_more_codes_progress_moves(phone, cheque_server):
    page = phone().new_page()
    codes = cheque_server["codes"][:3]
    page.goto(f"/cheques/inwisselen?code={codes[0]}")
    page.get_by_role("button", name="Nog een code toevoegen").click()
    page.locator("#codes-1").fill(codes[1])
    # The instant check answers while typing.
    expect(page.locator("#codes-1-status")).to_contain_text("Geldige cheque")
    _give(page, cheque_server, codes)


def test_journey_works_without_javascript(phone, cheque_server):
    page = phone(javascript=False).new_page()
    _give(page, cheque_server, cheque_server["codes"][3:5])


def test_cheque_pages_have_no_serious_accessibility_violations(phone, cheque_server, axe_source):
    page = phone(bypass_csp=True).new_page()
    _give(
        page,
        cheque_server,
        cheque_server["codes"][5:7],
        check_axe=lambda p: assert_no_serious_violations(p, axe_source),
    )
    page.goto(f"/ideeen/{cheque_server['idea_id']}")
    assert_no_serious_violations(page, axe_source)
    page.goto("/cheques/inwisselen")
    page.locator("#codes-0").fill("ABCD")
    page.get_by_role("button", name="Verder", exact=True).click()
    expect(page.locator("#codes-0-status")).to_contain_text("13 tekens")
    assert_no_serious_violations(page, axe_source)
    page.goto("/cheques/bevestigen/onbekend")
    assert_no_serious_violations(page, axe_source)
