"""Add or update translations in the nl and en catalogues from a TSV file.

Each line: the English message id, a tab, the Dutch text. The English catalogue gets
the id itself as its text. Safe to run from several shells at once (a file lock).

    python scripts/po_add.py new-strings.tsv
"""

from __future__ import annotations

import fcntl
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {
    lang: ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po" for lang in ("nl", "en")
}


def load_pairs(path: Path) -> list[tuple[str, str]]:
    """Read (English, Dutch) pairs; refuse lines without exactly one tab."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[1].strip():
            raise SystemExit(f"{path}:{number}: need 'English<TAB>Dutch'")
        pairs.append((parts[0], parts[1]))
    return pairs


def add(pairs: list[tuple[str, str]]) -> None:
    """Write the pairs into both catalogues under a lock."""
    lock_path = ROOT / "translations" / ".lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for lang, path in CATALOGUES.items():
            with open(path, "rb") as fh:
                catalog = read_po(fh, locale=lang)
            for english, dutch in pairs:
                text = dutch if lang == "nl" else english
                if english in catalog:
                    catalog[english].string = text
                    catalog[english].flags.discard("fuzzy")
                else:
                    catalog.add(english, text)
            with open(path, "wb") as fh:
                write_po(
                    fh, catalog, sort_output=True, omit_header=False, no_location=True, width=100
                )


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        add(load_pairs(Path(arg)))
