"""Page weight on a phone with a cold cache: small pages, and nothing from other hosts."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

BUDGET = 60 * 1024  # bytes for everything one page load transfers
#: A page with a map, once the map script has loaded Leaflet (about 160 KB of it, uncompressed).
MAP_BUDGET = 250 * 1024
OUT = Path(__file__).resolve().parents[2] / "bench" / "out" / "page_weight.txt"
PAGES = {
    "home": "/",
    "areas": "/gebieden",
}
#: Pages with a map: weighed without the map script (the SVG alone) and with it (Leaflet).
MAP_PAGES = {
    "area": "/gebied/BU08280300",  # Ruwaard-Oost: plan, spearheads, the chart and the map
    "district": "/gebied/WK082803",  # Ruwaard: the map with its neighbourhoods
    "ideas": "/ideeen",  # twenty ideas and their map
    "idea": None,  # an idea with a spot (found in the database)
}
MAP_FILES = ("/static/js/map.js", "/static/vendor/leaflet/leaflet.js")


def _located_idea_path(live_app) -> str:
    from sqlalchemy import select

    from buurtbegroting.extensions import db
    from buurtbegroting.ideas.services import PUBLIC_STATUSES
    from buurtbegroting.models import Idea

    with live_app.app_context():
        idea_id = db.session.scalar(
            select(Idea.id)
            .where(Idea.latitude.is_not(None), Idea.status.in_(PUBLIC_STATUSES))
            .order_by(Idea.id)
            .limit(1)
        )
        db.session.remove()
    return f"/ideeen/{idea_id}"


def _load(context, path: str) -> tuple[list[str], list[dict]]:
    """Load a page; return every requested URL and the size of every response."""
    page = context.new_page()
    requested: list[str] = []
    responses = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    measured = []
    for response in responses:
        sizes = response.request.sizes()
        body = 0 if 300 <= response.status < 400 else len(response.body())
        measured.append(
            {
                "url": response.url,
                "type": response.request.resource_type,
                "status": response.status,
                "body": max(body, sizes["responseBodySize"]),
                "headers": sizes["responseHeadersSize"],
            }
        )
    page.close()
    return requested, measured


def _summary(name: str, path: str, measured: list[dict]) -> str:
    by_type: dict[str, int] = defaultdict(int)
    for item in measured:
        by_type[item["type"]] += item["body"]
    body = sum(item["body"] for item in measured)
    headers = sum(item["headers"] for item in measured)
    lines = [
        f"{name} ({path}): {body + headers} bytes transferred "
        f"({body} body + {headers} headers, {len(measured)} responses)"
    ]
    lines += [f"  {kind}: {size} bytes" for kind, size in sorted(by_type.items())]
    lines += [
        f"    {i['status']} {i['type']} {i['body']} {urlsplit(i['url']).path}" for i in measured
    ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def report():
    """Return the figures file, emptied once per run so it holds this run's figures."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("", encoding="utf-8")
    return OUT


def _is_photo(url: str) -> bool:
    return "/fotos/" in urlsplit(url).path


def _weigh(context, live_server, report, name: str, path: str, budget: int) -> list[str]:
    """Load a page, check it asks only the site and stays within ``budget``; return the paths asked."""
    requested, measured = _load(context, path)

    foreign = [
        url
        for url in requested
        if urlsplit(url).scheme != "data"
        and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != live_server
    ]
    assert not foreign, f"{path} asks other hosts for: {foreign}"
    assert any(i["type"] == "document" and i["status"] == 200 for i in measured)
    assert any(i["type"] == "stylesheet" for i in measured), "the stylesheet was not loaded"

    summary = _summary(name, path, measured)
    print("\n" + summary)
    with report.open("a", encoding="utf-8") as out:
        out.write(summary + "\n")
    # Residents' photos are content, not the site's weight: how many a list shows depends on
    # what other tests (and residents) added. They are lazy-loaded thumbnails; the figures
    # file still lists them.
    total = sum(i["body"] + i["headers"] for i in measured if not _is_photo(i["url"]))
    assert total < budget, f"{path} weighs {total} bytes, over {budget}:\n{summary}"
    return [urlsplit(url).path for url in requested]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_under_60_kb_from_the_site_alone(new_phone_context, live_server, report, name):
    asked = _weigh(new_phone_context("nl"), live_server, report, name, PAGES[name], BUDGET)
    assert not set(MAP_FILES) & set(asked), "a page without a map loads the map script"


@pytest.mark.parametrize("name", list(MAP_PAGES))
def test_map_page_without_the_map_script_stays_under_60_kb(
    new_phone_context, live_server, live_app, report, name
):
    path = MAP_PAGES[name] or _located_idea_path(live_app)
    context = new_phone_context("nl", javascript=False)
    asked = _weigh(context, live_server, report, f"{name}, without the map script", path, BUDGET)
    assert not set(MAP_FILES) & set(asked)


@pytest.mark.parametrize("name", list(MAP_PAGES))
def test_map_page_with_the_map_script_loads_leaflet_from_the_site(
    new_phone_context, live_server, live_app, report, name
):
    path = MAP_PAGES[name] or _located_idea_path(live_app)
    context = new_phone_context("nl")
    asked = _weigh(context, live_server, report, f"{name}, with the map script", path, MAP_BUDGET)
    assert set(MAP_FILES) <= set(asked)
