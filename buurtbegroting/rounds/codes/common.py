"""What the code services share: limits, the refusal, the ballot phases for paper."""

from __future__ import annotations

import re

from buurtbegroting.domain import DomainError
from buurtbegroting.domain.rounds import Phase

#: The most codes made in one go (a command or a request).
MAX_CODES = 200_000


#: The web page builds letters in the request too, so it makes fewer at once.
MAX_CODES_WEB = 10_000


BATCH_NAME = re.compile(r"^[\w .,'()#+-]{1,60}$")


PAPER_PHASES = (Phase.VOTING, Phase.COUNTING)


class CodesRefused(DomainError):
    """An administrative act on codes or paper ballots cannot go ahead.

    ``messages`` are translated; ``field`` names the form field they belong to.
    """

    def __init__(self, messages, field: str | None = None):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)
        self.field = field
