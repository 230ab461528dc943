"""The evaluation pack as a PDF: the same sections as the page, as tables."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask_babel import _, format_decimal
from reportlab.lib import colors
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from buurtbegroting.rounds.results.pdf import BODY, STYLES, build_pdf
from buurtbegroting.templating import format_cents

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
    ]
)


def _n(value, minimum: int) -> str:
    return f"< {minimum}" if value is None else format_decimal(value, format="#,##0")


def _pct(value) -> str:
    return _("not known") if value is None else format_decimal(value, format="0.0") + "%"


def _table(header: list[str], rows: list[list[str]]) -> Table:
    return Table([header, *rows], style=GRID, hAlign="LEFT", repeatRows=1)


def pack_pdf(pack: dict) -> bytes:
    """Return the PDF of an evaluation pack made by ``pack.evaluation_pack``."""
    m = pack["ages"]["minimum"]
    h2, p = STYLES["Heading2"], (lambda text: Paragraph(escape(str(text)), BODY))
    story = [Paragraph(escape(_("Evaluation") + ": " + pack["round"].name), STYLES["Title"])]
    story += [Paragraph(escape(_("Turnout per neighbourhood")), h2)]
    story.append(
        _table(
            [_("Area"), _("Inhabitants"), _("Online"), _("On paper"), _("Together"), "%"],
            [
                [
                    r["area"].name,
                    _n(r["inhabitants"], 0) if r["inhabitants"] else _("not known"),
                    _n(r["online"], m),
                    _n(r["paper"], m),
                    _n(r["total"], m),
                    _pct(r["of_inhabitants"]),
                ]
                for r in pack["turnout"]
            ],
        )
    )
    story += [Paragraph(escape(_("Way of voting")), h2)]
    story.append(
        _table(
            [_("Area"), _("Code from the letter"), _("Account"), _("On paper")],
            [
                [r["area"].name, _n(r["code"], m), _n(r["account"], m), _n(r["paper"], m)]
                for r in pack["turnout"]
            ],
        )
    )
    story += [Paragraph(escape(_("Age of the voters")), h2)]
    bands = [
        [f"{b['low']}–{b['high']}" if b["high"] else f"{b['low']}+", _n(b["count"], m)]
        for b in pack["ages"]["bands"]
    ]
    bands.append([_("not known"), _n(pack["ages"]["unknown"], m)])
    story.append(_table([_("Age"), _("Voters")], bands))
    story += [Paragraph(escape(_("Money per area")), h2)]
    story.append(
        _table(
            [_("Area"), _("Budget"), _("To chosen ideas")],
            [
                [r["area"].name, format_cents(r["budget"]), format_cents(r["funded"])]
                for r in pack["money"]["areas"]
            ],
        )
    )
    story += [Paragraph(escape(_("Money per spearhead")), h2)]
    spearheads = [[name, format_cents(cents)] for name, cents in pack["money"]["spearheads"]]
    story.append(_table([_("Spearhead"), _("Money")], spearheads or [["-", "-"]]))
    story += [Paragraph(escape(_("Ideas from submission to result")), h2)]
    story.append(_table([_("Stage"), _("Ideas")], [[s, str(n)] for s, n in pack["stages"]]))
    story += [Paragraph(escape(_("How the result was found")), h2)]
    story += [p(line) for line in pack["rule"]]
    story += [Spacer(1, 6), Paragraph(escape(_("Text for the algorithm register")), h2)]
    for heading, lines in pack["register"]:
        story.append(Paragraph(escape(heading), STYLES["Heading3"]))
        story += [p(line) for line in lines]
    return build_pdf(story, _("Evaluation") + ": " + pack["round"].name)
