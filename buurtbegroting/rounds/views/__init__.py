"""Public pages of budget rounds: the round, voting (code or account), receipt, results."""

from buurtbegroting.rounds.views import (  # noqa: F401
    access,
    ballot,
    common,
    kiosk,
    pack,
    receipts,
    results,
    second_area,
)
