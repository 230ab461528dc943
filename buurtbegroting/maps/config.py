"""Map settings: the background tiles and the Content-Security-Policy hosts they need."""

from __future__ import annotations

from urllib.parse import urlsplit


def tile_origin(config) -> str:
    """Return the ``scheme://host`` of the tile URL (for the CSP's img-src), or ""."""
    url = (config.get("MAP_TILE_URL") or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def img_sources(config) -> str:
    """Return the img-src of the CSP: our own images, data: URLs and the tile host."""
    origin = tile_origin(config)
    return "'self' data:" + (f" {origin}" if origin else "")


def tiles(config) -> dict | None:
    """Return what the map script needs to show background tiles, or None for boundaries only."""
    if not tile_origin(config):
        return None
    return {
        "url": config["MAP_TILE_URL"].strip(),
        "attribution": config.get("MAP_TILE_ATTRIBUTION", ""),
        "maxZoom": int(config.get("MAP_TILE_MAX_ZOOM", 19)),
    }
