"""Every marked string is in the catalogues, translated into Dutch, with the same placeholders."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue(lang):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "--quiet",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-location",
            "-o",
            str(pot),
            "buurtbegroting",
            "templates",
        ],
        cwd=ROOT,
        check=True,
    )
    with open(pot, "rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_extracted_string_is_in_the_catalogue(extracted, lang):
    catalogue = _catalogue(lang)
    missing = sorted(str(m) for m in extracted if m not in catalogue)
    assert not missing, f"run `flask translate update` and translate: {missing[:20]}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_string_has_a_translation_that_is_not_fuzzy(extracted, lang):
    catalogue = _catalogue(lang)
    untranslated = sorted(
        str(m.id) for m in catalogue if m.id in extracted and (not m.string or m.fuzzy)
    )
    assert not untranslated, untranslated[:20]


def test_dutch_translations_keep_the_placeholders():
    wrong = [
        m.id
        for m in _catalogue("nl")
        if m.id
        and m.string
        and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert not wrong, wrong
