"""Commands: `flask rounds codes` (voting codes and letters for an area, written once)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from buurtbegroting import printing
from buurtbegroting.extensions import db
from buurtbegroting.rounds.codes import (
    LETTERS_PER_FILE,
    MAX_CODES,
    CodesRefused,
    generate_codes,
    letters_html,
    record_export,
    write_csv,
)
from buurtbegroting.rounds.services import area_by_id, is_locked


@click.group("rounds")
def rounds_cli():
    """Budget rounds: voting codes, reminders."""


@rounds_cli.command("remind-unfinished")
def remind_unfinished_command():
    """Mail accounts that opened a ballot but did not confirm, once, in the last 48 hours."""
    from buurtbegroting.rounds.services.reminders import remind_unfinished

    sent, skipped = remind_unfinished()
    click.echo(f"Reminders sent: {sent} ({skipped} already sent).")


@rounds_cli.command("codes")
@click.argument("round_area_id", type=int)
@click.option("--count", "count", type=int, required=True, help="How many codes to make.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The CSV file for the mailing house (must not exist yet).",
)
@click.option(
    "--letters",
    "letters",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the letters as one print-ready HTML file (must not exist yet).",
)
@click.option(
    "--pdf",
    "pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the letters as PDFs for a print shop, in parts, with the CSV, in one ZIP.",
)
@click.option(
    "--back-lang",
    "back_lang",
    type=click.Choice(sorted(printing.LANGUAGES)),
    help="With --pdf: a second language on the back of every letter.",
)
def codes_command(
    round_area_id: int,
    count: int,
    out: Path,
    letters: Path | None,
    pdf: Path | None,
    back_lang: str | None,
):
    """Make voting codes for an area of a round and write them once to a CSV (and letters)."""
    round_area = area_by_id(round_area_id)
    if round_area is None:
        raise click.BadParameter("no such round area", param_hint="ROUND_AREA_ID")
    if not 1 <= count <= MAX_CODES:
        raise click.BadParameter(f"use a number from 1 to {MAX_CODES}", param_hint="--count")
    if is_locked(round_area.round):
        raise click.ClickException("Voting has started in this round: codes can no longer be made.")
    targets = [out] + [path for path in (letters, pdf) if path]
    for path in targets:
        if path.exists():
            raise click.ClickException(f"{path} exists already; it is never overwritten.")
    if len({path.resolve() for path in targets}) < len(targets):
        raise click.BadParameter(
            "use a different file for each output", param_hint="--letters/--pdf"
        )
    settings = _letter_settings(round_area, back_lang) if pdf else None
    written: list[Path] = []
    try:
        with click.progressbar(length=count, label="Codes", show_pos=True) as bar:
            codes = generate_codes(round_area, count, bar.update)
        write_csv(out, round_area, codes)
        written.append(out)
        if letters:
            with click.progressbar(length=count, label="Letters", show_pos=True) as bar:
                parts = []
                for start in range(0, count, LETTERS_PER_FILE):
                    part = codes[start : start + LETTERS_PER_FILE]
                    parts.append(letters_html(round_area, part))
                    bar.update(len(part))
            with open(letters, "x", encoding="utf-8") as fh:
                written.append(letters)
                fh.write(_join_letter_parts(parts))
        if pdf:
            with click.progressbar(length=count, label="PDF letters", show_pos=True) as bar:
                result = printing.write_letters_zip(
                    codes,
                    pdf,
                    settings=settings,
                    part_size=current_app.config["PRINT_PART_SIZE"],
                    progress=bar.update,
                )
            written.append(pdf)
        record_export(round_area, len(codes), [p.name for p in written], None)
        db.session.commit()
    except FileExistsError as error:
        db.session.rollback()
        _remove(written)
        raise click.ClickException(
            f"{error.filename} exists already; it is never overwritten."
        ) from None
    except (CodesRefused, printing.PrintRefused) as refused:
        db.session.rollback()
        _remove(written)
        raise click.ClickException(str(getattr(refused, "message", refused))) from None
    except BaseException:
        db.session.rollback()
        _remove(written)
        raise
    click.echo(f"{len(codes)} codes for {round_area.area.name} written to {out}.")
    if letters:
        click.echo(f"Letters written to {letters}.")
    if pdf:
        click.echo(f"{len(result.files) - 1} PDF file(s) and the CSV written to {pdf}.")
    click.echo("Only the hashes are kept: these files are the only copy of the codes.")


def _letter_settings(round_area, back_lang: str | None):
    """Check the letterhead and words before any code is made."""
    try:
        return printing.letter_settings(round_area, current_app.config, back_lang=back_lang)
    except printing.PrintRefused as refused:
        raise click.ClickException(str(refused.message)) from None


def _join_letter_parts(parts: list[str]) -> str:
    """Join letter pages rendered in parts into one document (the body of each part)."""
    if len(parts) == 1:
        return parts[0]
    head, _sep, _rest = parts[0].partition("<!-- letters -->")
    bodies = [p.split("<!-- letters -->", 2)[1] for p in parts]
    tail = parts[0].split("<!-- letters -->", 2)[2]
    return head + "".join(bodies) + tail


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
