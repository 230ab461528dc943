"""Send e-mail: written to the log (outbox backend, development) or sent by SMTP (production).

Every message leaves a row in the outbox table with its metadata: to whom, the subject,
its kind, when, and whether it was delivered. The text of a message that carries a
secret (a reset or confirmation link) is never stored: with SMTP only the recipient
gets it, with the outbox backend only the log does.
"""

from __future__ import annotations

import re
import smtplib
import unicodedata
from email.message import EmailMessage

from flask import after_this_request, current_app, has_request_context, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from buurtbegroting.extensions import db
from buurtbegroting.models import MailStatus, OutboxMessage, utcnow

#: What administrators see as the kind of a message; an unknown kind shows its name.
KIND_LABELS = {
    "password_reset": _l("New password"),
    "email_verification": _l("Confirm e-mail address"),
    "cheque_coorganiser": _l("Invitation to organise"),
    "idea_status": _l("Status of an idea"),
    "accountability_reminder": _l("Reminder about accountability"),
    "accountability_changes": _l("Report: changes asked"),
    "ballot_reminder": _l("Reminder: confirm your vote"),
}

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


def kind_label(kind: str) -> str:
    """Return the translated name of a kind of message."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def send_mail(
    recipient: str,
    subject: str,
    template: str,
    locale: str | None = None,
    *,
    secret: bool = False,
    after_response: bool = False,
    **context,
) -> OutboxMessage:
    """Render ``templates/email/<template>.txt`` in the recipient's language and send it.

    :param secret: the message carries a secret (a link with a token): its text is
        never stored, so nobody can read it in the application.
    :param after_response: (inside a request) speak SMTP only once the response has gone
        out, so neither its time nor its failure shows in the answer (account pages must
        not tell who has an account).

    A failed delivery is recorded (status FAILED) and logged without the text; it does
    not raise, so the caller's answer does not depend on the mail server. Flush only.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", **context)
        subject = one_line(subject)[:200]
    # A line break in a header would add headers (or make the mail library refuse); a
    # recipient that is not one plain address is kept in the outbox but never sent.
    ok = deliverable(recipient)
    if not ok:
        recipient = one_line(recipient)[:254]
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        kind=template,
        is_secret=secret,
        body=None if secret else body,
    )
    db.session.add(message)
    # Whole messages (outbox backend only) and delivery failures go to the app's "mail" log.
    log = current_app.logger.getChild("mail")
    if not ok:
        message.status = MailStatus.FAILED
        log.warning("E-mail (%s) not sent: the recipient is not one plain address.", template)
    elif current_app.config["MAIL_BACKEND"] == "smtp" and after_response and has_request_context():
        db.session.flush()
        _deliver_after_response(message.id, recipient, subject, body)
    elif current_app.config["MAIL_BACKEND"] == "smtp":
        try:
            _send_smtp(recipient, subject, body)
        except (smtplib.SMTPException, OSError) as error:
            message.status = MailStatus.FAILED
            log.error("E-mail (%s) to %s not delivered: %s", template, recipient, error)
        else:
            message.status = MailStatus.SENT
            message.sent_at = utcnow()
    else:
        message.status = MailStatus.WRITTEN
        log.info(
            "E-mail to %s: %s\n%s",
            recipient,
            subject,
            body,
            extra={"mail": {"to": recipient, "subject": subject, "body": body}},
        )
    db.session.flush()
    return message


def _deliver_after_response(message_id: int, recipient: str, subject: str, body: str) -> None:
    app = current_app._get_current_object()

    @after_this_request
    def _register(response):
        @response.call_on_close
        def _deliver():
            with app.app_context():
                log = app.logger.getChild("mail")
                try:
                    _send_smtp(recipient, subject, body)
                except (OSError, smtplib.SMTPException) as error:
                    log.error("E-mail %s could not be delivered: %s", message_id, error)
                    values = {"status": MailStatus.FAILED}
                else:
                    values = {"status": MailStatus.SENT, "sent_at": utcnow()}
                db.session.execute(
                    update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
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
