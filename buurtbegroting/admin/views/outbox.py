"""The outgoing e-mail queue: waiting, delivered and failed messages; retrying failed ones."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_login import current_user

from buurtbegroting.admin import PER_PAGE, bp
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.mail import kind_label
from buurtbegroting.mail import services as mail_services
from buurtbegroting.models import OutboxMessage
from buurtbegroting.pagination import paginate
from buurtbegroting.permissions import can_read_outbox, can_retry_mail, require


@bp.route("/uitgaande-mail")
def outbox():
    """List the e-mail queue, newest first, filtered by state, with the count per state."""
    require(can_read_outbox(current_user))
    state = request.args.get("status", "")
    if state not in mail_services.STATES:
        state = ""
    page = paginate(mail_services.outbox_query(state), per_page=PER_PAGE)
    return render_template(
        "admin/outbox.html",
        page=page,
        state=state,
        counts=mail_services.state_counts(),
        kind_label=kind_label,
        form=ConfirmForm(),
    )


@bp.route("/uitgaande-mail/<int:message_id>")
def outbox_message(message_id):
    """Show one e-mail from the outbox: its metadata, and its text unless it carries a secret."""
    message = db.get_or_404(OutboxMessage, message_id)
    require(can_read_outbox(current_user))
    return render_template(
        "admin/outbox_message.html",
        message=message,
        kind_label=kind_label,
        can_retry=mail_services.can_retry(message),
        form=ConfirmForm(),
    )


@bp.route("/uitgaande-mail/<int:message_id>/opnieuw", methods=["POST"])
def retry_message(message_id):
    """Queue one failed e-mail again (audited)."""
    message = db.get_or_404(OutboxMessage, message_id)
    require(can_retry_mail(current_user))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if mail_services.retry_message(message, current_user):
        db.session.commit()
        flash(_("The e-mail is waiting to be sent again."), "success")
    else:
        flash(_("This e-mail cannot be sent again."), "error")
    return redirect(url_for("admin.outbox_message", message_id=message_id))


@bp.route("/uitgaande-mail/opnieuw", methods=["POST"])
def retry_failed():
    """Queue every failed e-mail that can be sent again (audited)."""
    require(can_retry_mail(current_user))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = mail_services.retry_failed(current_user)
    db.session.commit()
    flash(_("E-mails waiting to be sent again: %(count)s.", count=count), "success")
    return redirect(url_for("admin.outbox", status="waiting"))
