"""The languages the site can be shown in: each named in itself, and its writing direction."""

#: Every language a catalogue exists for, named in that language (for the language switch).
NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
}

#: Languages written right to left.
RIGHT_TO_LEFT = frozenset({"ar"})


def direction(code: str | None) -> str:
    """The HTML ``dir`` value for a language code: "rtl" or "ltr"."""
    return "rtl" if (code or "").split("_")[0] in RIGHT_TO_LEFT else "ltr"


def name(code: str) -> str:
    """The language's own name, or the code when unknown."""
    return NAMES.get(code, code)


def choices(codes) -> list[tuple[str, str]]:
    """(code, own name) pairs for the configured languages, in the configured order."""
    return [(code, name(code)) for code in codes]


def switch(codes) -> list[tuple[str, str, str]]:
    """(code, own name, direction) for the language switch in the page header."""
    return [(code, name, direction(code)) for code, name in choices(codes)]
