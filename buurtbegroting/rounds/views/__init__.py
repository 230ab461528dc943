"""Public pages of budget rounds: the round, voting (code or account), receipt, results."""

from buurtbegroting.rounds.views import access, ballot, common, receipts, results  # noqa: F401
