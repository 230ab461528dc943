"""The background tiles come from configuration, and only their host joins the CSP's img-src."""

from __future__ import annotations

import pytest

from buurtbegroting import create_app
from buurtbegroting.maps.config import img_sources, tile_origin, tiles
from config import Config, ProductionConfig
from tests.dbsupport import make_config

PDOK = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"


def test_production_uses_the_pdok_base_map_and_other_environments_no_tiles():
    assert ProductionConfig.MAP_TILE_URL == PDOK
    assert Config.MAP_TILE_URL == ""


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        (PDOK, "https://service.pdok.nl"),
        ("http://tiles.example.nl:8080/{z}/{x}/{y}.png", "http://tiles.example.nl:8080"),
        ("", ""),
        ("   ", ""),
        ("javascript:alert(1)", ""),
        ("//no-scheme.example/{z}/{x}/{y}.png", ""),
        ("ftp://tiles.example.nl/{z}.png", ""),
    ],
)
def test_only_an_http_tile_url_gives_a_csp_host(url, origin):
    config = {"MAP_TILE_URL": url}
    assert tile_origin(config) == origin
    assert img_sources(config) == ("'self' data:" + (f" {origin}" if origin else ""))
    assert (tiles(config) is None) == (not origin)


def test_the_csp_allows_images_from_the_tile_host_and_nothing_else_changes():
    app = create_app(make_config("sqlite://", MAP_TILE_URL=PDOK))
    plain = create_app(make_config("sqlite://"))
    csp = app.test_client().get("/toegankelijkheid").headers["Content-Security-Policy"]
    before = plain.test_client().get("/toegankelijkheid").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://service.pdok.nl;" in csp
    assert "img-src 'self' data:;" in before
    assert csp.replace(" https://service.pdok.nl", "") == before
    assert "script-src 'self';" in csp
