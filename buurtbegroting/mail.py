"""Send e-mail: written to the outbox table (development) or sent by SMTP (production)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import after_this_request, current_app, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import update

from buurtbegroting.extensions import db
from buurtbegroting.models import OutboxMessage


def send_mail(
    recipient: str,
    subject: str,
    template: str,
    locale: str | None = None,
    *,
    after_response: bool = False,
    **context,
):
    """Render ``templates/email/<template>.txt`` in the recipient's language and send it.

    Every message is kept in the outbox table; with MAIL_BACKEND=smtp it is also
    delivered. The caller commits. With ``after_response`` (inside a request) SMTP is
    only spoken once the response has gone out, so neither its time nor its failure
    shows in the answer (account pages must not tell who has an account).
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", **context)
        subject = str(subject)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    if current_app.config["MAIL_BACKEND"] == "smtp" and after_response and has_request_context():
        db.session.flush()
        _deliver_after_response(message.id, recipient, subject, body)
    elif current_app.config["MAIL_BACKEND"] == "smtp":
        _send_smtp(recipient, subject, body)
        message.is_sent = True
    else:
        current_app.logger.info("E-mail to %s: %s\n%s", recipient, subject, body)
    db.session.flush()
    return message


def _deliver_after_response(message_id: int, recipient: str, subject: str, body: str) -> None:
    app = current_app._get_current_object()

    @after_this_request
    def _register(response):
        @response.call_on_close
        def _deliver():
            with app.app_context():
                try:
                    _send_smtp(recipient, subject, body)
                except (OSError, smtplib.SMTPException):
                    app.logger.exception("E-mail %s could not be delivered", message_id)
                    return
                db.session.execute(
                    update(OutboxMessage).where(OutboxMessage.id == message_id).values(is_sent=True)
                )
                db.session.commit()

        return response


def _send_smtp(recipient: str, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = recipient
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)
