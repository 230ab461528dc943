"""Open-source publication: publiccode.yml (Standard for Public Code v0.4) and the register text."""

from __future__ import annotations

from pathlib import Path

import yaml

from config import Config

ROOT = Path(__file__).resolve().parent.parent


def test_publiccode_yml_parses_and_has_the_required_keys():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert data["publiccodeYmlVersion"] == "0.4"
    for key in (
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ):
        assert data.get(key), key
    assert data["developmentStatus"] in ("concept", "development", "beta", "stable", "obsolete")
    assert data["softwareType"] in (
        "standalone/mobile",
        "standalone/iot",
        "standalone/desktop",
        "standalone/web",
        "standalone/backend",
        "standalone/other",
        "addon",
        "library",
        "configurationFiles",
    )
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["maintenance"]["type"] in ("internal", "contract", "community", "none")
    assert data["maintenance"]["contacts"]
    assert data["localisation"]["availableLanguages"] == list(Config.LANGUAGES)
    assert data["localisation"]["localisationReady"] is True
    for lang in ("nl", "en"):
        text = data["description"][lang]
        assert text["shortDescription"] and len(text["shortDescription"]) <= 150
        assert 150 <= len(text["longDescription"]) <= 10_000
        assert text["features"]
    assert data["url"].startswith("https://")
    version = (ROOT / "pyproject.toml").read_text().split('version = "', 1)[1].split('"')[0]
    assert data["softwareVersion"] == version


def test_register_text_describes_both_default_rules_and_how_to_recount():
    text = (ROOT / "docs" / "algoritmeregister.md").read_text(encoding="utf-8")
    for heading in (
        "Wat doet het algoritme?",
        "Welke gegevens?",
        "Wie is verantwoordelijk?",
        "Hoe kan iemand natellen?",
    ):
        assert f"## {heading}" in text
    assert "meeste stemmen eerst" in text and "Methode van Gelijke Delen" in text
    assert "python -m buurtbegroting.tally" in text
