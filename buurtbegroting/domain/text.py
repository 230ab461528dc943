"""Plain text with paragraphs, lists and links, rendered as safe HTML (never raw HTML)."""

import re
from html import escape
from itertools import groupby

_URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def _inline(text: str) -> str:
    out, pos = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[pos : match.start()]))
        url = match.group(0)
        out.append(f'<a href="{escape(url)}" rel="nofollow ugc noopener">{escape(url)}</a>')
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _kind(line: str) -> str:
    if _BULLET.match(line):
        return "ul"
    if _NUMBERED.match(line):
        return "ol"
    return "p"


def render_plain_text(text: str) -> str:
    """Turn plain text into HTML: blank lines make paragraphs, "- " and "1. " lines make lists.

    A list may follow its lead-in line directly ("What we want:" and then "- benches").
    Everything the author typed is escaped; only links to http(s) addresses become links.
    """
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n").strip())
    html = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        for kind, run in groupby(lines, _kind):
            run = list(run)
            if kind == "ul":
                items = "".join(f"<li>{_inline(_BULLET.match(line).group(1))}</li>" for line in run)
                html.append(f"<ul>{items}</ul>")
            elif kind == "ol":
                items = "".join(
                    f"<li>{_inline(_NUMBERED.match(line).group(1))}</li>" for line in run
                )
                html.append(f"<ol>{items}</ol>")
            else:
                html.append("<p>" + "<br>".join(_inline(line.strip()) for line in run) + "</p>")
    return "\n".join(html)
