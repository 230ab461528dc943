"""The calendar of the municipality: "today" is today in the Netherlands, not on the server."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: The time zone of every Dutch municipality.
NL_ZONE = ZoneInfo("Europe/Amsterdam")


def today_nl(now: datetime | None = None) -> date:
    """Return the date in the Netherlands at ``now`` (default: this moment)."""
    return (now or datetime.now(UTC)).astimezone(NL_ZONE).date()
