"""Pure domain logic: no Flask, no SQLAlchemy."""


class DomainError(Exception):
    """A business rule refused an action; the message is safe to show (already translated)."""


class ActionRefused(DomainError):
    """A rule refused the action; ``messages`` are translated, ready to show."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)
