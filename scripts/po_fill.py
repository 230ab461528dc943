"""Fill one catalogue's translations from a TSV keyed by a short hash of each message id.

Used to write the Turkish (and Arabic) catalogues: ``dump`` prints the untranslated
messages as ``key<TAB>English``; a translator writes ``key<TAB>translation`` lines into a
file (``\\n`` for a line break, `` || `` between the singular and plural forms), and ``fill``
puts them into the catalogue, refusing a translation whose placeholders differ.

    python scripts/po_fill.py dump tr > todo.tsv
    python scripts/po_fill.py fill tr scripts/translations/tr.tsv
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def key(message_id) -> str:
    """A short, stable key for a message id (the singular form of a plural)."""
    text = message_id[0] if isinstance(message_id, tuple) else message_id
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _path(lang: str) -> Path:
    return ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"


def _read(lang: str):
    with open(_path(lang), "rb") as fh:
        return read_po(fh, locale=lang)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def dump(lang: str) -> None:
    """Print the untranslated (or fuzzy) messages as key<TAB>English."""
    for message in _read(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            print(key(message.id) + "\t" + " || ".join(_escape(i) for i in ids))


def load(path: Path) -> dict[str, str]:
    """Read key<TAB>translation lines; refuse malformed ones."""
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[1].strip():
            raise SystemExit(f"{path}:{number}: need 'key<TAB>translation'")
        found[parts[0].strip()] = _unescape(parts[1])
    return found


def fill(lang: str, path: Path) -> None:
    """Put the translations into the catalogue; report keys that fit no message."""
    translations = load(path)
    lock_path = ROOT / "translations" / ".lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        catalogue = _read(lang)
        used, wrong = set(), []
        for message in catalogue:
            if not message.id or key(message.id) not in translations:
                continue
            text = translations[key(message.id)]
            used.add(key(message.id))
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            forms = [f.strip() for f in text.split(" || ")] if len(ids) > 1 else [text]
            expected = sorted(set(PLACEHOLDER.findall(ids[-1])))
            if any(sorted(set(PLACEHOLDER.findall(f))) != expected for f in forms):
                wrong.append(f"{key(message.id)}: placeholders differ from {ids[0]!r}")
                continue
            if len(ids) > 1:
                plurals = catalogue.num_plurals
                message.string = tuple((forms + [forms[-1]] * plurals)[:plurals])
            else:
                message.string = text
            message.flags.discard("fuzzy")
        with open(_path(lang), "wb") as fh:
            write_po(fh, catalogue, width=76)
    for line in wrong:
        print(line, file=sys.stderr)
    unused = sorted(set(translations) - used)
    if unused:
        print(
            f"{len(unused)} keys fit no message (removed strings?): {unused[:10]}", file=sys.stderr
        )
    if wrong:
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        dump(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "fill":
        fill(sys.argv[2], Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
