"""Voting codes and their letters as a job: a CSV for the mailing house and letters to print."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from buurtbegroting import printing
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
from buurtbegroting.models import RoundArea


def params_for(round_area: RoundArea, count: int) -> dict:
    """Return the job parameters to make ``count`` codes for an area of a round."""
    return {"round_area_id": round_area.id, "count": count, "round_id": round_area.round_id}


@register("voting_codes", _l("Voting codes and letters"), is_secret=True)
def voting_codes(work: Work) -> None:
    """Make the codes in committed steps, then the ZIP with codes.csv and the letters."""
    from buurtbegroting.rounds import codes  # imports the codes pages, which start this job

    round_area = db.session.get(RoundArea, work.params.get("round_area_id", 0))
    if round_area is None:
        raise services.JobRefused(_("This area of the round no longer exists."))
    count = codes.check_count(work.params.get("count"))
    actor = work.job.created_by

    def make_text(n: int, with_header: bool) -> str:
        made = codes.generate_codes(round_area, n, actor=actor)
        return without_header(codes.export_csv(round_area, made), with_header)

    path, count = write_csv(work, "codes.csv", count, make_text, _("Making codes"))
    download_name = f"stemcodes-{round_area.area.code}-{count}.zip"
    if work.params.get("output") == "pdf":
        settings = printing.letter_settings(
            round_area, current_app.config, back_lang=work.params.get("back_lang")
        )
        written = write_print_zip(
            work,
            download_name,
            printing.write_letters_zip,
            _plain_codes(path),
            count,
            _("Making the letters"),
            settings=settings,
        )
        codes.record_export(round_area, count, written.files, actor)
        db.session.commit()
        return
    parts = codes.letter_files(list(_plain_codes(path)))
    files = ["codes.csv"] + [name for name, _part in parts]
    codes.record_export(round_area, count, files, actor)

    def members():
        yield "codes.csv", path
        for name, part in parts:
            yield name, codes.letters_html(round_area, part)

    write_zip(
        work,
        download_name,
        members(),
        len(parts) + 1,
        _("Making the letters"),
    )


def _plain_codes(path: Path) -> Iterator[str]:
    """Yield the codes of the job's CSV one at a time, without their dashes."""
    for row in csv_rows(path):
        yield row[0].replace("-", "")
