#!/usr/bin/env python3
"""Git merge driver for gettext catalogues: the union of both sides' messages.

Parallel branches each add their own strings to translations/*/messages.po; a
line-based merge turns that into conflicts. This driver reads base, ours and
theirs with Babel and writes ours plus every message theirs added or changed
(a message both sides changed differently keeps ours, with a warning).
Configure once per clone:

    git config merge.po.driver "python3 scripts/po_merge.py %O %A %B"

(.gitattributes names the driver for *.po).
"""

import sys

from babel.messages.pofile import read_po, write_po


def _read(path):
    with open(path, "rb") as fh:
        return read_po(fh)


def main(base_path: str, ours_path: str, theirs_path: str) -> int:
    base, ours, theirs = _read(base_path), _read(ours_path), _read(theirs_path)
    conflicts = 0
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, message.context)
        before = base.get(message.id, message.context)
        if mine is None:
            if before is None or before.string != message.string:
                ours[message.id] = message
            continue
        if mine.string == message.string:
            continue
        if before is not None and before.string == mine.string:
            mine.string = message.string
        elif before is not None and before.string == message.string:
            pass
        else:
            conflicts += 1
            print(f"po_merge: both sides changed {message.id!r}; ours kept", file=sys.stderr)
    for message in list(ours):
        # A message theirs removed and ours left untouched goes too.
        before = base.get(message.id, message.context) if message.id else None
        if (
            before is not None
            and theirs.get(message.id, message.context) is None
            and before.string == message.string
        ):
            ours.delete(message.id, message.context)
    with open(ours_path, "wb") as fh:
        write_po(fh, ours, omit_header=False, sort_output=True, no_location=True)
    # A wording both sides chose differently is not worth a failed merge: ours is kept.
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
