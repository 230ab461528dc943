"""Queue e-mail: ``send_mail`` adds a message to the outbox in the caller's transaction.

Nothing is sent before that transaction commits, and a change that rolls back leaves no
message. The worker (``mail.delivery``, ``flask mail work``) delivers what is waiting. The
text of a message that carries a secret (a reset, confirmation or invitation link) is
stored only encrypted (``mail.sealing``) and erased once the message is delivered or given
up; administrators see its metadata, never the link.
"""

from __future__ import annotations

import re
import unicodedata

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, insert
from sqlalchemy import inspect as sa_inspect

from buurtbegroting.extensions import db
from buurtbegroting.mail.sealing import seal
from buurtbegroting.models import MailStatus, OutboxMessage

#: What administrators see as the kind of a message; an unknown kind shows its name.
KIND_LABELS = {
    "password_reset": _l("New password"),
    "email_verification": _l("Confirm e-mail address"),
    "verify_email": _l("Confirm e-mail address"),
    "registration_attempt": _l("Account attempt with a known address"),
    "cheque_coorganiser": _l("Invitation to organise"),
    "idea_status": _l("Status of an idea"),
    "argument_hidden": _l("Argument hidden"),
    "accountability_reminder": _l("Reminder about accountability"),
    "accountability_changes": _l("Report: changes asked"),
    "ballot_reminder": _l("Reminder: confirm your vote"),
    "round_close_reminder": _l("Reminder: close a round"),
    "follow_news": _l("News for followers"),
    "follow_digest": _l("Weekly news for followers"),
}

#: Runs of white space, control characters and line separators: one space in a header.
_BREAKS = re.compile(r"[\s\u2028\u2029]+")

#: The key in ``Session.info`` that says this transaction queued mail.
_QUEUED = "mail_queued"

#: Why a message was never handed to the server (stored in ``last_error``).
NOT_ONE_ADDRESS = "The recipient is not one plain address."


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


def compose_mail(
    recipient: str,
    subject: str,
    template: str,
    locale: str | None = None,
    *,
    secret: bool = False,
    headers: dict[str, str] | None = None,
    **context,
) -> OutboxMessage:
    """Render ``templates/email/<template>.txt`` in the recipient's language; return the message.

    The message is not added to the session: ``send_mail`` adds one, ``queue_mail`` many at once.

    :param secret: the message carries a secret (a link with a token): its text is kept
        only encrypted until delivery, so nobody can read it in the application.
    :param headers: extra headers (e.g. List-Unsubscribe), each made one line.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"email/{template}.txt", **context)
        subject = one_line(subject)[:200]
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        kind=template,
        is_secret=secret,
        body=None if secret else body,
        sealed_body=seal(body) if secret else None,
        extra_headers={one_line(k): one_line(v) for k, v in headers.items()} if headers else None,
        status=MailStatus.QUEUED,
    )
    # A line break in a header would add headers (or make the mail library refuse); a
    # recipient that is not one plain address is kept in the outbox but never sent.
    if not deliverable(recipient):
        message.recipient = one_line(recipient)[:254]
        message.status = MailStatus.FAILED
        message.sealed_body = None
        message.last_error = NOT_ONE_ADDRESS
        current_app.logger.getChild("mail").warning(
            "E-mail (%s) not queued: the recipient is not one plain address.", template
        )
    return message


def queue_mail(messages: list[OutboxMessage]) -> None:
    """Add composed messages to the caller's transaction; many go in one bulk INSERT.

    The statements do not grow with the number of messages (a newsletter, news for all
    followers); the rows of a bulk insert are not loaded back into the session.
    """
    if len(messages) == 1:
        db.session.add(messages[0])
        db.session.flush()
    elif messages:
        columns = [c.key for c in sa_inspect(OutboxMessage).column_attrs if c.key != "id"]
        rows = [
            {key: value for key in columns if (value := getattr(m, key)) is not None}
            for m in messages
        ]
        db.session.execute(insert(OutboxMessage), rows)
    else:
        return
    db.session.info[_QUEUED] = True


def send_mail(recipient: str, subject: str, template: str, locale=None, **options) -> OutboxMessage:
    """Render ``templates/email/<template>.txt`` in the recipient's language and queue it.

    The message is added to the session of the caller, so it is delivered only when the
    caller's transaction commits, and never when it rolls back. Flush only. The options
    (``secret``, ``headers`` and the template's context) are those of ``compose_mail``.
    """
    message = compose_mail(recipient, subject, template, locale, **options)
    queue_mail([message])
    return message


@event.listens_for(db.session, "after_commit")
def _write_log_after_commit(session) -> None:
    # The log backend (development) has no server that can be down: it writes the
    # messages as soon as the change that queued them is committed, so `make run`
    # needs no worker. With SMTP the worker delivers. Releasing a savepoint commits
    # nothing yet; after a rollback the flag may stay, which costs one empty run.
    if session.in_nested_transaction():
        return
    if session.info.pop(_QUEUED, False) and current_app.config["MAIL_BACKEND"] != "smtp":
        from buurtbegroting.mail.delivery import deliver_pending

        # The change is committed: nothing here may make its request fail.
        try:
            for _batch in range(100):
                if not deliver_pending().claimed:
                    break
        except Exception:  # noqa: BLE001 - the worker writes what is left
            current_app.logger.getChild("mail").exception("E-mail not written to the log")
