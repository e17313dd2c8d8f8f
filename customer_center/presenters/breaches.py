"""Why an order needs approval, in words: the exceeded limits with their figures."""

from __future__ import annotations

from collections.abc import Iterable

from customer_center.domain.budgets import PERIODS, LimitBreach
from customer_center.i18n import translate
from customer_center.i18n.wording import money


def describe_breach(breach: LimitBreach, lang: str, currency: str) -> str:
    """The reason in words, e.g. "order value 12,400.00 EUR exceeds the per-order limit…"."""
    if breach.kind == "quantity":
        return translate(lang, breach.code, actual=breach.actual, limit=breach.limit)
    params = {
        "actual": money(breach.actual, currency, lang),
        "limit": money(breach.limit, currency, lang),
    }
    if breach.kind == "order_value":
        return translate(lang, breach.code, **params)
    period = breach.period if breach.period in PERIODS else "period"
    return translate(
        lang,
        f"{breach.code}.{period}",
        used=money(breach.already_used, currency, lang),
        **params,
    )


def breach_lines(breaches: Iterable[LimitBreach], lang: str, currency: str) -> list[str]:
    """Every reason, one line each."""
    return [describe_breach(b, lang, currency) for b in breaches]
