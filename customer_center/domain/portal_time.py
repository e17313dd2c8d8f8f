"""The portal's time zone: days (budget periods, list filters) are the seller's days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# The portal shows times in the seller's time zone; per-user zones can come later.
PORTAL_TIMEZONE = ZoneInfo("Europe/Berlin")


def start_of_local_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the portal's time zone, as a UTC moment."""
    return datetime(day.year, day.month, day.day, tzinfo=PORTAL_TIMEZONE).astimezone(UTC)


def local_day(moment: datetime) -> date:
    """The portal's day at ``moment`` (a naive moment is taken as UTC, as the tables store it)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(PORTAL_TIMEZONE).date()


def local_today() -> date:
    """Today in the portal's time zone."""
    return datetime.now(PORTAL_TIMEZONE).date()
