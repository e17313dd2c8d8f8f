"""The languages the portal speaks and the time zone it shows days in: plain data the
services need (to check a chosen language, to cut days) without the wording of i18n."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"

# The portal shows times in the seller's time zone; per-user zones can come later.
PORTAL_TIMEZONE = ZoneInfo("Europe/Berlin")


def normalize_language(lang: str | None) -> str:
    """A supported language code from a user's setting or an Accept-Language header."""
    code = (lang or "").split(",")[0].split(";")[0].strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def start_of_local_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the portal's time zone, as a UTC moment."""
    return datetime(day.year, day.month, day.day, tzinfo=PORTAL_TIMEZONE).astimezone(UTC)
