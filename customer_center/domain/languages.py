"""The languages the portal speaks: plain data the services need (to check a chosen
language) without the wording of i18n. The time zone is in ``domain.portal_time``."""

from __future__ import annotations

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"


def normalize_language(lang: str | None) -> str:
    """A supported language code from a user's setting or an Accept-Language header."""
    code = (lang or "").split(",")[0].split(";")[0].strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE
