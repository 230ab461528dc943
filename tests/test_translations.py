"""Every marked string is in every site language's catalogue, translated, with the same placeholders."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import Config

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

#: The site's languages: every catalogue is complete.
LANGUAGES = list(Config.LANGUAGES)
COMPLETE = LANGUAGES


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


@pytest.mark.parametrize("lang", COMPLETE)
def test_every_extracted_string_is_in_the_catalogue(extracted, lang):
    catalogue = _catalogue(lang)
    missing = sorted(str(m) for m in extracted if m not in catalogue)
    assert not missing, f"run `flask translate update` and translate: {missing[:20]}"


@pytest.mark.parametrize("lang", COMPLETE)
def test_every_string_has_a_translation_that_is_not_fuzzy(extracted, lang):
    catalogue = _catalogue(lang)
    untranslated = sorted(
        str(m.id) for m in catalogue if m.id in extracted and (not m.string or m.fuzzy)
    )
    assert not untranslated, untranslated[:20]


def _forms(value):
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    wrong = [
        m.id
        for m in _catalogue(lang)
        if m.id
        and any(
            text
            and sorted(set(PLACEHOLDER.findall(text)))
            != sorted(set(PLACEHOLDER.findall(_forms(m.id)[-1])))
            for text in _forms(m.string)
        )
    ]
    assert not wrong, wrong


def test_every_site_language_has_a_catalogue():
    for lang in LANGUAGES:
        assert (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").is_file(), lang
