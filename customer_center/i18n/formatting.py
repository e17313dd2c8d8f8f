"""Money and moments in time in the user's language (Babel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, get_currency_precision

from customer_center.domain.languages import normalize_language
from customer_center.domain.portal_time import PORTAL_TIMEZONE, start_of_local_day

__all__ = ["PORTAL_TIMEZONE", "format_day", "format_moment", "format_money", "start_of_local_day"]


def format_money(amount: Decimal, currency: str, lang: str) -> str:
    form = _money_form(currency, normalize_language(lang))
    if form is None:
        return format_currency(amount, currency, locale=_locale(lang))
    return form.write(amount)


def format_moment(value: datetime, lang: str) -> str:
    return _format_datetime(value, format="medium", tzinfo=PORTAL_TIMEZONE, locale=_locale(lang))


def format_day(value: date, lang: str) -> str:
    return _format_date(value, format="medium", locale=_locale(lang))


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(normalize_language(lang))


@dataclass(frozen=True)
class _MoneyForm:
    """How Babel writes one currency in one language, read off its own output: what comes
    before and after the number (positive and negative), the group and decimal marks, the
    currency's digits. Writing with it is a string format instead of Babel's pattern
    machinery (a list page writes dozens of amounts per click)."""

    digits: int
    marks: dict[int, str]
    before: str
    after: str
    before_negative: str
    after_negative: str

    def write(self, amount: Decimal) -> str:
        number = f"{abs(amount):,.{self.digits}f}".translate(self.marks)
        if amount < 0:
            return f"{self.before_negative}{number}{self.after_negative}"
        return f"{self.before}{number}{self.after}"


_SAMPLE = Decimal("1234567.891")


@lru_cache(maxsize=256)
def _money_form(currency: str, lang: str) -> _MoneyForm | None:
    """The form, or None where Babel's output is not of that shape (then Babel writes)."""
    try:
        digits = get_currency_precision(currency)
        positive = format_currency(_SAMPLE, currency, locale=_locale(lang))
        negative = format_currency(-_SAMPLE, currency, locale=_locale(lang))
    except (ValueError, LookupError):
        return None
    shape, marks = _shape(positive, digits)
    shape_negative, marks_negative = _shape(negative, digits)
    if shape is None or shape_negative is None or marks != marks_negative:
        return None
    form = _MoneyForm(digits, marks, *shape, *shape_negative)
    return form if (form.write(_SAMPLE), form.write(-_SAMPLE)) == (positive, negative) else None


def _shape(written: str, digits: int) -> tuple[tuple[str, str] | None, dict[int, str]]:
    """Before and after the number, and the marks in it, of ``written`` (the sample)."""
    first = next((i for i, c in enumerate(written) if c.isdigit()), None)
    last = next((i for i in range(len(written) - 1, -1, -1) if written[i].isdigit()), None)
    if first is None or last is None:
        return None, {}
    number = written[first : last + 1]
    group = number[1] if len(number) > 1 and not number[1].isdigit() else ""
    decimal = number[-(digits + 1)] if digits else ""
    marks = {ord(","): group, ord("."): decimal}
    return (written[:first], written[last + 1 :]), marks
