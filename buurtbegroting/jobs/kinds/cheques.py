"""Cheques and their print sheets as a job: a CSV for the mailing house and sheets to print."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from buurtbegroting import csvfile, printing
from buurtbegroting.extensions import db
from buurtbegroting.jobs import services
from buurtbegroting.jobs.kinds.files import (
    csv_rows,
    without_header,
    write_csv,
    write_print_zip,
    write_zip,
)
from buurtbegroting.jobs.runner import Work, register
from buurtbegroting.models import ChequeCampaign
from buurtbegroting.templating import format_cents
from buurtbegroting.urls import external_url


@register("cheques", _l("Cheques and print sheets"), is_secret=True)
def make_cheques(work: Work) -> None:
    """Make the campaign's open cheques in committed steps, then the ZIP with CSV and sheets."""
    from buurtbegroting.cheques import export
    from buurtbegroting.cheques import services as cheques

    campaign = db.session.get(ChequeCampaign, work.params.get("campaign_id", 0))
    if campaign is None:
        raise services.JobRefused(_("This campaign no longer exists."))
    actor = work.job.created_by
    total = work.checkpoint.get("total")
    if total is None:
        total = sum(n for _area, n in cheques.open_slots(campaign))
        if not total:
            raise services.JobRefused(_("Every cheque of this campaign has been made."))
        work.step(0, total, _("Making cheques"), checkpoint={"total": total})
    redeem = external_url("cheques.redeem")
    base = export.file_name(campaign)

    def make_text(n: int, with_header: bool) -> str:
        made = cheques.generate_cheques(
            campaign, actor, lambda code: f"{redeem}?code={code}", limit=n
        )
        return without_header(csvfile.text(export.csv_rows(campaign, made)), with_header)

    path, count = write_csv(work, "cheques.csv", total, make_text, _("Making cheques"))
    if work.params.get("output") == "pdf":
        write_print_zip(
            work,
            f"{base}.zip",
            printing.write_cheques_zip,
            _cheques(path),
            count,
            _("Making the print sheets"),
            campaign=campaign,
            settings=printing.cheque_settings(campaign, current_app.config),
            base_name=base,
        )
        return
    text = export.sheet_text(campaign)
    value = format_cents(campaign.value_cents)
    parts = -(-count // export.SHEET_SIZE)

    def members():
        yield f"{base}.csv", path
        rows = _cheques(path)
        for number in range(1, parts + 1):
            part = list(islice(rows, export.SHEET_SIZE))
            name = f"{base}-print-{number:03d}.html"
            yield name, export.sheet_html(campaign, part, text, value)

    write_zip(work, f"{base}.zip", members(), parts + 1, _("Making the print sheets"))


def _cheques(path: Path) -> Iterator:
    """Yield the cheques of the job's CSV one at a time, as the print writers take them."""
    from buurtbegroting.cheques import export

    for row in csv_rows(path):
        yield export.NewCheque(
            number=int(row[0]),
            code=row[1].replace("-", ""),
            area_code=row[6],
            area_name=row[7],
            url=row[8],
        )
