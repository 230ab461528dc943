"""Real mail catchers for tests: the development log (outbox backend) and an SMTP server."""

from __future__ import annotations

import logging
import re
import socket
from email import message_from_bytes
from email.message import Message


class LoggedMail(logging.Handler):
    """Collect the e-mails the outbox backend writes to the log."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.messages: list[dict[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        mail = getattr(record, "mail", None)
        if mail is not None:
            self.messages.append(dict(mail))

    def last_to(self, recipient: str) -> dict[str, str]:
        """Return the newest message to a recipient."""
        found = [m for m in self.messages if m["to"] == recipient]
        assert found, f"no e-mail to {recipient} in the log"
        return found[-1]

    def link_to(self, recipient: str, pattern: str = r"https?://\S+") -> str:
        """Return the first link in the newest message to a recipient."""
        return re.search(pattern, self.last_to(recipient)["body"]).group(0)


def free_port() -> int:
    """Return a local TCP port that nothing listens on (at the moment of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPCatcher:
    """A real SMTP server (aiosmtpd) on a local port that keeps what it receives.

    :param port: the port to listen on (default: a free one), e.g. to bring a server
        "back" where the app expects it.
    :param refuse: recipients the server refuses, with the reply (e.g. "550 No such user").
    """

    def __init__(self, port: int | None = None, refuse: dict[str, str] | None = None):
        from aiosmtpd.controller import Controller

        self.received: list[Message] = []
        #: The raw envelopes (recipients as given to RCPT TO, the bytes as sent).
        self.envelopes: list = []
        #: How many connections (sessions) clients opened.
        self.connections = 0
        self.refuse = dict(refuse or {})
        self.port = port or free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def recipients(self) -> list[str]:
        """Return the recipient of every received message, in order."""
        return [to for envelope in self.envelopes for to in envelope.rcpt_tos]

    def bodies(self) -> list[str]:
        """Return the text of every received message."""
        return [m.get_payload(decode=True).decode() for m in self.received]


class SMTPDown:
    """The app speaks SMTP to a local port where no server listens (until ``come_back``)."""

    def __init__(self):
        self.port = free_port()
        self.server: SMTPCatcher | None = None

    def come_back(self) -> SMTPCatcher:
        """Start a real SMTP server on the port the app uses, and return it."""
        self.server = SMTPCatcher(port=self.port)
        self.server.start()
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def deliver(app=None, **kwargs):
    """Run the delivery worker once, as `flask mail work --once` does; return its report."""
    from buurtbegroting.mail.delivery import deliver_pending

    return deliver_pending(app, **kwargs)
