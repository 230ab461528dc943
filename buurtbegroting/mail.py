"""Send e-mail: written to the outbox table (development) or sent by SMTP (production)."""

from __future__ import annotations

import re
import smtplib
import unicodedata
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale

from buurtbegroting.extensions import db
from buurtbegroting.models import OutboxMessage

#: Runs of white space, control characters and line separators: one space in a header.
_BREAKS = re.compile(r"[\s\u2028\u2029]+")


def one_line(text: str) -> str:
    """Return text fit for one mail header: no line breaks, no control characters."""
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in str(text))
    return _BREAKS.sub(" ", text).strip()


def deliverable(recipient: str) -> bool:
    """Return whether the recipient is one plain address (nothing that could add a header)."""
    return (
        bool(recipient)
        and recipient == one_line(recipient)
        and " " not in recipient
        and recipient.count("@") == 1
        and "," not in recipient
    )


def send_mail(recipient: str, subject: str, template: str, locale: str | None = None, **context):
    """Render ``templates/email/<template>.txt`` in the recipient's language and send it.

    Every message is kept in the outbox table; with MAIL_BACKEND=smtp it is also
    delivered. The caller commits.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", **context)
        subject = one_line(subject)[:200]
    # A line break in a header would add headers (or make the mail library refuse); a
    # recipient that is not one plain address is kept in the outbox but never sent.
    ok = deliverable(recipient)
    if not ok:
        current_app.logger.warning("E-mail not sent: the recipient is not one plain address.")
        recipient = one_line(recipient)[:254]
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    if current_app.config["MAIL_BACKEND"] == "smtp" and ok:
        _send_smtp(recipient, subject, body)
        message.is_sent = True
    elif ok:
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
