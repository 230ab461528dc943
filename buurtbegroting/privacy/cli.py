"""Command: `flask privacy retention` (daily, from cron): remove what is kept no longer."""

from __future__ import annotations

import click
from flask import current_app

from buurtbegroting import audit
from buurtbegroting.extensions import db
from buurtbegroting.models import utcnow
from buurtbegroting.privacy import services


@click.group("privacy")
def privacy_cli():
    """Personal data: retention."""


@privacy_cli.command("retention")
def retention():
    """Delete old e-mail, network counts and co-organiser contacts; archive old audit entries.

    Everything happens in one transaction: if any step fails, nothing is deleted and a
    half-written archive file is removed. The periods are set in the configuration
    (OUTBOX_RETENTION_DAYS, NETWORK_SIGNAL_RETENTION_DAYS, COORGANISER_RETENTION_DAYS,
    AUDIT_RETENTION_YEARS) and listed in docs/privacy.md.
    """
    cfg = current_app.config
    now = utcnow()
    archive = services.AuditArchive()
    try:
        outbox = services.delete_old_outbox(now)
        signals = services.delete_network_signals(now)
        erased, deleted = services.erase_organiser_contacts(now)
        total = services.count_old_audit_entries(now)
        with click.progressbar(
            length=total, label="Audit entries to archive", show_pos=True
        ) as bar:
            archive = services.archive_audit_entries(now, bar.update)
        counts = {
            "outbox_messages": outbox,
            "network_signals": signals,
            "co_organisers_erased": erased,
            "co_organisers_deleted": deleted,
            "audit_entries_archived": archive.count,
        }
        if any(counts.values()):
            audit.record(
                None,
                "privacy.retention",
                object_type="retention",
                summary=", ".join(f"{k}: {v}" for k, v in counts.items() if v),
                after={**counts, "archive": archive.path.name if archive.path else None},
            )
        db.session.commit()
    except services.ArchiveRefused as refused:
        db.session.rollback()
        raise click.ClickException(f"{refused}. Nothing has been deleted.") from None
    except BaseException:
        db.session.rollback()
        if archive.path is not None:
            archive.path.unlink(missing_ok=True)
        raise
    click.echo(f"E-mails older than {cfg['OUTBOX_RETENTION_DAYS']} days deleted: {outbox}.")
    click.echo(
        f"Network counts of closed rounds or older than {cfg['NETWORK_SIGNAL_RETENTION_DAYS']} "
        f"days deleted: {signals}."
    )
    click.echo(
        f"Co-organisers of decided initiatives: contact data erased for {erased}, "
        f"unconfirmed invitations deleted: {deleted}."
    )
    if archive.path is not None:
        click.echo(
            f"Audit entries older than {cfg['AUDIT_RETENTION_YEARS']} years archived to "
            f"{archive.path} and deleted: {archive.count}."
        )
    else:
        click.echo(f"Audit entries older than {cfg['AUDIT_RETENTION_YEARS']} years: none.")
