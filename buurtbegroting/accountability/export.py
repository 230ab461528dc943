"""The dashboard's CSV files, for Dutch spreadsheets (UTF-8 with BOM, semicolons)."""

from __future__ import annotations

from flask_babel import _

from buurtbegroting import csvfile
from buurtbegroting.accountability import queries
from buurtbegroting.accountability.labels import REPORT_STATUS_LABELS
from buurtbegroting.domain.money import format_cents_plain
from buurtbegroting.ideas.labels import STATUS_LABELS


def _dashboard_tables(d):
    money_head = [_("Ideas"), _("Funded (euro)"), _("Spent (euro)")]
    return {
        "speerpunten": (
            [_("Spearhead"), _("Area plan of")] + money_head,
            [
                [
                    r.label,
                    r.detail,
                    r.ideas,
                    format_cents_plain(r.funded_cents),
                    format_cents_plain(r.spent_cents),
                ]
                for r in d.by_spearhead
            ],
        ),
        "gebieden": (
            [_("Area"), _("CBS code")] + money_head,
            [
                [
                    r.label,
                    r.detail,
                    r.ideas,
                    format_cents_plain(r.funded_cents),
                    format_cents_plain(r.spent_cents),
                ]
                for r in d.by_area
            ],
        ),
        "statussen": (
            [_("Status"), _("Ideas")],
            [[str(STATUS_LABELS[s]), n] for s, n in d.by_status],
        ),
        "deelname": (
            [_("Figure"), _("Number")],
            [
                [_("Ballots cast"), d.ballots],
                [_("Cheques redeemed"), d.cheques_redeemed],
                [_("Supports for ideas"), d.supports],
            ],
        ),
        "verantwoording": None,
    }


def _accountability_table():
    rows = queries.funding_rows()
    return (
        [
            _("Idea number"),
            _("Idea"),
            _("Area"),
            _("Status"),
            _("Funded (euro)"),
            _("Spent (euro)"),
            _("Returned (euro)"),
            _("Milestones done"),
            _("Milestones"),
            _("Report due"),
        ],
        [
            [
                r.idea.id,
                r.idea.title,
                r.idea.area.name,
                str(REPORT_STATUS_LABELS[r.funding.status]),
                format_cents_plain(r.funding.amount_cents),
                format_cents_plain(r.spent_cents),
                format_cents_plain(r.funding.returned_cents),
                r.milestones_done,
                r.milestones_total,
                r.funding.report_due_on.isoformat() if r.funding.report_due_on else "",
            ]
            for r in rows
        ],
    )


#: The CSV files of the dashboard.
CSV_TABLES = ("speerpunten", "gebieden", "statussen", "deelname", "verantwoording")


def dashboard_csv(name: str, dashboard) -> str:
    """Return one table of the dashboard as CSV text; ``dashboard()`` loads the figures."""
    head, rows = (
        _accountability_table()
        if name == "verantwoording"
        else _dashboard_tables(dashboard())[name]
    )
    return csvfile.text([head, *rows], delimiter=";", lineterminator="\r\n", bom=True)
