"""Commands: `flask cheques generate` (codes and their CSV, once) and `flask cheques close-expired` (cron)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask_babel import force_locale

from buurtbegroting.extensions import db


@click.group("cheques")
def cheques_cli():
    """Cheque campaigns."""


@cheques_cli.command("generate")
@click.argument("campaign_id", type=int)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The CSV file to write (must not exist yet).",
)
@click.option(
    "--sheets",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write print sheets with QR codes (HTML, 400 cheques a file) to this folder.",
)
def generate(campaign_id: int, out: Path, sheets: Path | None):
    """Make the campaign's open cheques and write their codes once, to a CSV file.

    The codes exist only in that file: the database keeps keyed hashes. If anything
    fails before the database is committed, the file is removed and nothing is kept.
    """
    from buurtbegroting.cheques import export, services
    from buurtbegroting.models import ChequeCampaign
    from buurtbegroting.urls import external_url

    campaign = db.session.get(ChequeCampaign, campaign_id)
    if campaign is None:
        raise click.ClickException(f"campaign {campaign_id} does not exist")
    if out.exists():
        raise click.ClickException(f"{out} exists already; codes are written once, to a new file")
    total = sum(n for _area, n in services.open_slots(campaign))
    if not total:
        raise click.ClickException("every cheque of this campaign has been made")
    base = current_app.config["BASE_URL"].rstrip("/")
    redeem = external_url("cheques.redeem")
    written: list[Path] = []
    try:
        with click.progressbar(length=total, label=f"Cheques for {campaign.name}") as bar:
            made = services.generate_cheques(
                campaign, None, lambda code: f"{redeem}?code={code}", progress=bar.update
            )
        tmp = out.with_name(out.name + ".part")
        written.append(tmp)
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            export.write_csv(fh, campaign, made)
            fh.flush()
            os.fsync(fh.fileno())
        if sheets is not None:
            sheets.mkdir(parents=True, exist_ok=True)
            with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                from buurtbegroting.templating import format_cents

                with current_app.test_request_context(base_url=base):
                    text = export.sheet_text(campaign)
                    value = format_cents(campaign.value_cents)
            with click.progressbar(
                range(0, len(made), export.SHEET_SIZE), label="Print sheets"
            ) as starts:
                for start in starts:
                    path = (
                        sheets
                        / f"cheques-{campaign.id}-print-{start // export.SHEET_SIZE + 1:03d}.html"
                    )
                    written.append(path)
                    path.write_text(
                        export.sheet_html(
                            campaign, made[start : start + export.SHEET_SIZE], text, value
                        ),
                        encoding="utf-8",
                    )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise
    tmp.rename(out)
    click.echo(f"{len(made)} cheques written to {out}. Keep this file safe: it is the only copy.")


@cheques_cli.command("close-expired")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if it were this day (for tests and catching up).",
)
def close_expired(today):
    """Apply the date rules: fund reached targets, close passed dates, expire unused cheques."""
    from buurtbegroting.cheques import services

    day: date | None = today.date() if today else None
    summary = services.close_expired(day)
    click.echo(
        f"Funded: {len(summary.funded)}; not reached: {len(summary.not_reached)} "
        f"(to the pot: {summary.to_pot_cents / 100:.2f} euro); "
        f"cheques expired: {summary.expired_cheques}."
    )
