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
    """A real SMTP server (aiosmtpd) on a free local port that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: list[Message] = []
        #: The raw envelopes (recipients as given to RCPT TO, the bytes as sent).
        self.envelopes: list = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def bodies(self) -> list[str]:
        """Return the text of every received message."""
        return [m.get_payload(decode=True).decode() for m in self.received]
