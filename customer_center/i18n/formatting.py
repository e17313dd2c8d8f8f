"""Dates, numbers and money in the user's language (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, format_decimal

from customer_center.i18n.catalog import normalize_language

_TIMEZONE = "Europe/Berlin"


def format_money(amount: Decimal, currency: str, lang: str) -> str:
    return format_currency(amount, currency, locale=normalize_language(lang))


def format_number(value: Decimal | int, lang: str) -> str:
    return format_decimal(value, locale=normalize_language(lang))


def format_day(value: date, lang: str) -> str:
    return _format_date(value, format="medium", locale=normalize_language(lang))


def format_moment(value: datetime, lang: str) -> str:
    return _format_datetime(
        value, format="medium", tzinfo=_TIMEZONE, locale=normalize_language(lang)
    )
