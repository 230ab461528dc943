"""Pure domain logic: no Flask, no SQLAlchemy."""


class DomainError(Exception):
    """A business rule refused an action; the message is safe to show (already translated)."""
