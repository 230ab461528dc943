"""Send e-mail: written to the outbox table (development) or sent by SMTP (production)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale

from buurtbegroting.extensions import db
from buurtbegroting.models import OutboxMessage


def send_mail(recipient: str, subject: str, template: str, locale: str | None = None, **context):
    """Render ``templates/email/<template>.txt`` in the recipient's language and send it.

    Every message is kept in the outbox table; with MAIL_BACKEND=smtp it is also
    delivered. The caller commits.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", **context)
        subject = str(subject)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    if current_app.config["MAIL_BACKEND"] == "smtp":
        _send_smtp(recipient, subject, body)
        message.is_sent = True
    else:
        current_app.logger.info("E-mail to %s: %s\n%s", recipient, subject, body)
    db.session.flush()
    return message


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
