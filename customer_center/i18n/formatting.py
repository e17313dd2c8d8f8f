"""Money and moments in time in the user's language (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency

from customer_center.domain.languages import normalize_language
from customer_center.domain.portal_time import PORTAL_TIMEZONE, start_of_local_day

__all__ = ["PORTAL_TIMEZONE", "format_day", "format_moment", "format_money", "start_of_local_day"]


def format_money(amount: Decimal, currency: str, lang: str) -> str:
    return format_currency(amount, currency, locale=normalize_language(lang))


def format_moment(value: datetime, lang: str) -> str:
    return _format_datetime(
        value, format="medium", tzinfo=PORTAL_TIMEZONE, locale=normalize_language(lang)
    )


def format_day(value: date, lang: str) -> str:
    return _format_date(value, format="medium", locale=normalize_language(lang))
