"""The once-only export of new cheque codes: a CSV for the mailing house and print sheets.

Plain codes exist only here, in memory, while the export is written; the database
keeps keyed hashes. Nothing in this module touches the database.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from flask import current_app
from flask_babel import _

from buurtbegroting import csvfile
from buurtbegroting.domain.codes import format_code
from buurtbegroting.printing.texts import cheque_words
from buurtbegroting.qr import qr_path_svg
from buurtbegroting.urls import external_url


def file_name(campaign) -> str:
    """Return the base name of a campaign's download files: ``cheques-<id>-<name as slug>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", campaign.name.lower()).strip("-") or "campagne"
    return f"cheques-{campaign.id}-{slug}"


CSV_HEADER = [
    "number",
    "code",
    "campaign",
    "value_eur",
    "valid_from",
    "valid_until",
    "neighbourhood_code",
    "neighbourhood",
    "redeem_url",
]
#: Cheques per print file (eight on an A4 page).
SHEET_SIZE = 400


@dataclass(frozen=True)
class NewCheque:
    """A code just generated, with what is printed next to it."""

    number: int
    code: str
    area_code: str
    area_name: str
    url: str


@dataclass(frozen=True)
class SheetText:
    """The translated words on a printed cheque (the export has no request to translate in)."""

    title: str
    value: str
    valid: str
    how: str
    code_label: str
    qr_label: str
    lang: str


def csv_row(campaign, cheque: NewCheque) -> list:
    """Return the CSV row of one new cheque."""
    return [
        cheque.number,
        format_code(cheque.code),
        campaign.name,
        f"{campaign.value_cents // 100}.{campaign.value_cents % 100:02d}",
        campaign.activation_starts_on.isoformat(),
        campaign.activation_ends_on.isoformat(),
        cheque.area_code,
        cheque.area_name,
        cheque.url,
    ]


def csv_rows(campaign, cheques: Iterable[NewCheque]):
    """Yield the CSV rows (header first) of the new cheques."""
    yield CSV_HEADER
    for c in cheques:
        yield csv_row(campaign, c)


def write_csv(fh, campaign, cheques: Iterable[NewCheque]) -> None:
    """Write the CSV of the new cheques to a text file."""
    writer = csvfile.writer(fh)
    writer.writerows(csv_rows(campaign, cheques))


def csv_text(campaign, cheques: Iterable[NewCheque]) -> str:
    """Return the CSV of the new cheques as text."""
    buffer = io.StringIO()
    write_csv(buffer, campaign, cheques)
    return buffer.getvalue()


SHEET_STYLE = """
@page { size: A4; margin: 10mm; }
body { font: 11pt/1.35 Arial, sans-serif; margin: 0; color: #000; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.cheque { border: 1px dashed #555; padding: 4mm; height: 64mm; display: grid;
  grid-template-columns: 34mm 1fr; gap: 4mm; align-items: center; break-inside: avoid; }
.cheque .qr { width: 34mm; height: 34mm; }
.cheque h2 { font-size: 13pt; margin: 0 0 1mm; }
.value { font-size: 20pt; font-weight: 700; margin: 0; }
.code { font: 700 13pt/1.2 "DejaVu Sans Mono", monospace; letter-spacing: .04em; margin: 1mm 0; }
.small { font-size: 8.5pt; margin: 0; }
.sheet + .sheet { break-before: page; }
"""


def sheet_html(campaign, cheques: list[NewCheque], text: SheetText, value_text: str) -> str:
    """Return a print-ready HTML page of cheques: eight per A4 page, each with its QR code."""
    cards = []
    for c in cheques:
        cards.append(
            '<article class="cheque">'
            + str(qr_path_svg(c.url, text.qr_label))
            + "<div>"
            + f"<h2>{escape(text.title)}</h2>"
            + f'<p class="value">{escape(value_text)}</p>'
            + f'<p class="small">{escape(text.code_label)}</p>'
            + f'<p class="code">{escape(format_code(c.code))}</p>'
            + f'<p class="small">{escape(text.valid)}</p>'
            + f'<p class="small">{escape(text.how)}</p>'
            + f'<p class="small">#{c.number}{" · " + escape(c.area_name) if c.area_name else ""}</p>'
            + "</div></article>"
        )
    pages = [
        '<div class="sheet">' + "".join(cards[i : i + 8]) + "</div>"
        for i in range(0, len(cards), 8)
    ]
    return (
        f'<!doctype html><html lang="{escape(text.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(campaign.name)}</title><style>{SHEET_STYLE}</style></head>"
        f"<body>{''.join(pages)}</body></html>"
    )


def zip_export(
    campaign, cheques: list[NewCheque], text: SheetText, value_text: str, base_name: str
) -> bytes:
    """Return a ZIP with the CSV and print sheets of at most SHEET_SIZE cheques each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{base_name}.csv", csv_text(campaign, cheques))
        for start in range(0, len(cheques), SHEET_SIZE):
            part = cheques[start : start + SHEET_SIZE]
            number = start // SHEET_SIZE + 1
            archive.writestr(
                f"{base_name}-print-{number:03d}.html", sheet_html(campaign, part, text, value_text)
            )
    return buffer.getvalue()


def sheet_text(campaign) -> SheetText:
    """Return the texts of a campaign's print sheets, in the current language."""
    place = current_app.config["MUNICIPALITY_NAME"]
    return SheetText(
        **cheque_words(campaign, place, external_url("cheques.redeem")),
        qr_label=_("QR code that opens the page to give this cheque"),
        lang=str(current_app.config["BABEL_DEFAULT_LOCALE"]),
    )
