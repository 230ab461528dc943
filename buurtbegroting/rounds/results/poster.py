"""A printable A4 poster of an area's result, with a QR code to the results page."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask_babel import _
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer

from buurtbegroting.models import RoundArea
from buurtbegroting.rounds.results.labels import WHAT_NEXT
from buurtbegroting.rounds.results.pdf import BIG, BODY, STYLES, QrCode, build_pdf
from buurtbegroting.templating import format_cents


def results_poster(round_area: RoundArea, view: dict, url: str) -> bytes:
    """Return the poster PDF: the area, the funded ideas, turnout, what happens now, a QR code."""
    round_ = round_area.round
    title = _("Result %(round)s", round=round_.name)
    story = [
        Paragraph(escape(round_area.area.name), BIG),
        Paragraph(escape(title), STYLES["Heading2"]),
        Paragraph(escape(_("These ideas get money:")), STYLES["Heading3"]),
    ]
    items = [
        ListItem(
            Paragraph(f"{escape(item.idea.title)} ({format_cents(item.cost_cents)})", BODY),
            leftIndent=12,
        )
        for item in view["funded"]
    ]
    if items:
        story.append(ListFlowable(items, bulletType="bullet", start="•"))
    else:
        story.append(Paragraph(escape(_("No idea was chosen.")), BODY))
    turnout = view["turnout"]
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                _(
                    "%(total)s people voted: %(online)s online and %(paper)s on paper.",
                    total=turnout.total,
                    online=turnout.online,
                    paper=turnout.paper,
                )
            ),
            BODY,
        ),
        Spacer(1, 4 * mm),
        Paragraph(escape(str(WHAT_NEXT)), BODY),
        Spacer(1, 8 * mm),
        QrCode(url),
        Paragraph(escape(_("Scan the code for all results: %(url)s", url=url)), BODY),
    ]
    return build_pdf(story, f"{title} · {round_area.area.name}")
