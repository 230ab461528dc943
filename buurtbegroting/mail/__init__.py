"""E-mail: queued in the outbox with the change it reports, delivered after the commit.

- ``outbox``: ``send_mail`` (what every capability calls), header checks, kind labels.
- ``delivery``: the worker's ``deliver_pending`` (claims, one SMTP connection per batch,
  throttling, retries with back-off); ``flask mail work`` runs it (``cli``).
- ``sealing``: the encrypted text of secret messages until delivery.
- ``services``: what administrators may do with the queue (retry failed messages).
"""

from buurtbegroting.mail.delivery import deliver_pending
from buurtbegroting.mail.outbox import (
    KIND_LABELS,
    compose_mail,
    deliverable,
    kind_label,
    one_line,
    queue_mail,
    send_mail,
)

__all__ = [
    "KIND_LABELS",
    "compose_mail",
    "deliver_pending",
    "deliverable",
    "kind_label",
    "one_line",
    "queue_mail",
    "send_mail",
]
