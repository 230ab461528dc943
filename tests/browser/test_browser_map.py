"""The map on a phone: the SVG without JavaScript, Leaflet with it, keyboard use, axe, picking a spot.

The demo's districts and neighbourhoods have (invented) boundaries and most demo ideas a
spot; Ruwaard (WK082803) has several of them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from buurtbegroting.extensions import db
from buurtbegroting.models import Area, Idea, IdeaStatus, User
from tests.browser.axecheck import report, scan

pytestmark = pytest.mark.browser

AREA = "/gebied/WK082803"
LANGS = ["nl", "en"]
ANNA = ("anna@example.nl", "demo-inwoner")


def _svg_markers(page: Page) -> list[tuple[str, str]]:
    """Return (number, title) of each SVG marker, from its accessible name."""
    return [
        (a.get_attribute("data-number"), a.get_attribute("aria-label").split(": ", 1)[1])
        for a in page.locator("svg.map-svg a.map-marker").all()
    ]


def _list_items(page: Page) -> list[tuple[str, str]]:
    """Return (number, title) of each item of the list next to the map."""
    items = []
    for li in page.locator("ol.map-list li").all():
        # The link's text as a screen reader reads it: "Idee 1: <title>", like the marker's name.
        name = " ".join(li.locator("a").text_content().split())
        items.append((li.locator(".map-number").text_content(), name.split(": ", 1)[1]))
    return items


def _errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", [AREA, "/ideeen"])
def test_svg_map_carries_the_same_numbers_and_titles_as_the_list(new_phone_context, lang, path):
    page = new_phone_context(lang, javascript=False).new_page()
    page.goto(path)
    svg = page.locator("svg.map-svg").first
    expect(svg).to_be_visible()
    markers, items = _svg_markers(page), _list_items(page)
    assert len(markers) >= 2
    assert markers == items
    assert [n for n, _ in markers] == [str(i) for i in range(1, len(markers) + 1)]
    label = "Idee" if lang == "nl" else "Idea"
    assert (
        page.locator("svg.map-svg a.map-marker").first.get_attribute("aria-label").startswith(label)
    )
    # The SVG is named and described for screen readers.
    title = page.locator("svg.map-svg title").first.text_content()
    assert title.startswith("Kaart van" if lang == "nl" else "Map of")
    assert page.locator("svg.map-svg desc").first.text_content()
    assert page.locator("script[src$='map.js']").count() == 1


@pytest.mark.parametrize("lang", LANGS)
def test_with_javascript_leaflet_shows_the_same_markers_and_no_errors(new_phone_context, lang):
    page = new_phone_context(lang).new_page()
    errors = _errors(page)
    page.goto(AREA)
    expect(page.locator(".map-leaflet.leaflet-container")).to_be_visible()
    expect(page.locator("svg.map-svg")).to_be_hidden()
    pins = page.locator(".map-leaflet .map-pin")
    expect(pins.first).to_be_visible()
    numbers = [p.inner_text() for p in pins.all()]
    assert numbers == [n for n, _ in _list_items(page)]
    labels = [p.get_attribute("aria-label") for p in pins.all()]
    word = "Idee" if lang == "nl" else "Idea"
    assert labels == [f"{word} {n}: {t}" for n, t in _list_items(page)]
    # Boundaries drawn by Leaflet (read back from the SVG): the outline and three neighbourhoods,
    # around the pins, as in the SVG.
    paths = page.locator(".map-leaflet svg path")
    assert paths.count() == 4
    boxes = [p.bounding_box() for p in paths.all()]
    left, top = min(b["x"] for b in boxes), min(b["y"] for b in boxes)
    right = max(b["x"] + b["width"] for b in boxes)
    bottom = max(b["y"] + b["height"] for b in boxes)
    assert right - left > 150 and bottom - top > 150
    for pin_box in (p.bounding_box() for p in pins.all()):
        x, y = pin_box["x"] + pin_box["width"] / 2, pin_box["y"] + pin_box["height"] / 2
        assert left < x < right and top < y < bottom
    # No background tiles configured: nothing from other hosts, and no CSP complaint.
    assert not errors, errors
    page.locator(".leaflet-control-zoom-in").click()
    expect(pins.first).to_be_visible()


def _tab_until(page: Page, selector: str, limit: int = 80):
    """Press Tab until the focused element matches; return it (fails after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return page.locator(":focus")
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_reaches_svg_markers_and_list_with_visible_focus(new_phone_context):
    page = new_phone_context("nl").new_page()
    _without_map_script(page)
    page.goto(AREA)
    focused = _tab_until(page, "svg a.map-marker")
    assert focused.get_attribute("data-number") == "1"
    stroke = page.evaluate(
        "() => getComputedStyle(document.activeElement.querySelector('circle')).strokeWidth"
    )
    assert stroke == "6px"  # the focus style: a thick yellow ring
    _tab_until(page, "svg a.map-marker[data-number='2']", limit=3)
    focused = _tab_until(page, "ol.map-list a")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    href = focused.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def test_keyboard_reaches_leaflet_markers_and_enter_opens_the_idea(new_phone_context):
    page = new_phone_context("nl").new_page()
    page.goto(AREA)
    expect(page.locator(".map-leaflet .map-pin").first).to_be_visible()
    focused = _tab_until(page, ".map-pin")
    assert focused.get_attribute("tabindex") == "0"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    first = _list_items(page)[0][1]
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(first)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("leaflet", [False, True])
@pytest.mark.parametrize("path", [AREA, "/ideeen"])
def test_map_pages_have_no_accessibility_violations(
    new_phone_context, axe_source, lang, leaflet, path
):
    page = new_phone_context(lang, bypass_csp=True).new_page()
    if not leaflet:
        _without_map_script(page)
    page.goto(path)
    ready = ".map-leaflet .map-pin" if leaflet else "svg.map-svg a.map-marker"
    expect(page.locator(ready).first).to_be_visible()
    violations = scan(page, axe_source)
    assert not violations, report(violations)


def _without_map_script(page: Page) -> None:
    """Refuse the map script: the page stays as a visitor without JavaScript sees it.

    (axe itself needs JavaScript, so the scans and the focus checks use this.)
    """
    page.route("**/static/js/map.js", lambda route: route.abort())


@pytest.fixture()
def draft_id(live_app):
    """A draft idea of Anna (who lives in Ruwaard-Oost) for Ruwaard-Oost, made in the database."""
    with live_app.app_context():
        anna = db.session.scalar(select(User).where(User.email == ANNA[0]))
        area = db.session.scalar(select(Area).where(Area.code == "BU08280300"))
        idea = Idea(
            title="Bloembakken op het plein",
            summary="Bloembakken maken het plein groener.",
            description="Vier grote bakken met bloemen.",
            area=area,
            author=anna,
            status=IdeaStatus.DRAFT,
        )
        db.session.add(idea)
        db.session.commit()
        yield idea.id
        db.session.delete(db.session.get(Idea, idea.id))
        db.session.commit()
        db.session.remove()


def _log_in(page: Page) -> None:
    page.goto("/inloggen")
    page.locator("#email").fill(ANNA[0])
    page.locator("#password").fill(ANNA[1])
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/inloggen" not in page.url


def _spot(live_app, idea_id: int) -> tuple:
    with live_app.app_context():
        idea = db.session.get(Idea, idea_id)
        spot = (idea.latitude, idea.longitude)
        db.session.remove()
        return spot


def test_tapping_the_map_picks_a_spot_and_a_spot_outside_is_refused(
    new_phone_context, live_app, draft_id
):
    page = new_phone_context("nl").new_page()
    errors = _errors(page)
    _log_in(page)
    page.goto(f"/ideeen/{draft_id}/stap/4")
    box = page.locator(".map-leaflet")
    expect(box).to_be_visible()
    expect(page.locator(".map-js-hint")).to_be_visible()
    size = box.bounding_box()
    # The middle of the map is the middle of Ruwaard-Oost.
    box.click(position={"x": size["width"] / 2, "y": size["height"] / 2})
    assert re.fullmatch(r"51\.7\d+", page.locator("#latitude").input_value())
    assert re.fullmatch(r"5\.5\d+", page.locator("#longitude").input_value())
    page.locator("main form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/controleren$"))
    latitude, longitude = _spot(live_app, draft_id)
    assert 51.745 < latitude < 51.772 and 5.53 < longitude < 5.54
    assert not errors, errors  # no script error, no CSP complaint

    # A spot in Oss-Zuid, outside Ruwaard-Oost, typed in the fields.
    page.goto(f"/ideeen/{draft_id}/stap/4")
    page.locator("#latitude").fill("51.735")
    page.locator("#longitude").fill("5.50")
    page.locator("main form .actions button[type=submit]").click()
    expect(page.locator(".field.has-error .error")).to_contain_text(
        "Deze plek ligt buiten Ruwaard-Oost"
    )
    expect(page.locator("#latitude")).to_have_attribute("aria-invalid", "true")
    assert _spot(live_app, draft_id) == (latitude, longitude)


def test_without_javascript_the_spot_is_typed(new_phone_context, live_app, draft_id):
    # Anna's account is in Dutch: the account's language wins over the browser's.
    page = new_phone_context("en", javascript=False).new_page()
    _log_in(page)
    page.goto(f"/ideeen/{draft_id}/stap/4")
    expect(page.locator("svg.map-svg")).to_be_visible()
    expect(page.locator(".map-js-hint")).to_be_hidden()
    expect(page.locator("label[for=latitude]")).to_have_text("Breedtegraad (niet verplicht)")
    page.locator("#latitude").fill("51.7585")
    page.locator("#longitude").fill("5.5347")
    page.locator("main form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/controleren$"))
    assert _spot(live_app, draft_id) == (51.7585, 5.5347)


def test_with_a_tile_url_leaflet_loads_tiles_from_it_with_the_attribution(
    new_phone_context, live_app, live_server
):
    # Tiles from the site itself (the CSP's img-src has 'self'); in production PDOK's host.
    live_app.config["MAP_TILE_URL"] = f"{live_server}/static/favicon.svg?z={{z}}&x={{x}}&y={{y}}"
    try:
        page = new_phone_context("nl").new_page()
        tiles: list[str] = []
        page.on("request", lambda r: tiles.append(r.url) if "favicon.svg?z=" in r.url else None)
        page.goto(AREA)
        expect(page.locator(".map-leaflet img.leaflet-tile").first).to_be_attached()
        expect(page.locator(".leaflet-control-attribution")).to_contain_text("Kadaster")
        assert tiles and all(re.search(r"z=1[0-9]&x=\d+&y=\d+$", url) for url in tiles)
    finally:
        live_app.config["MAP_TILE_URL"] = ""
