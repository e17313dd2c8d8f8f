"""Budgets in words: limits as short sentences and as form values, and a user's budget
situation (period, spent, reserved, remaining) ready to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from customer_center.domain.budgets import Limits, format_amount
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day, format_money
from customer_center.services.people.budgets import BudgetSituation

FIELDS = ("max_quantity", "max_order_value", "period", "period_budget")


def money(cents: int, currency: str, lang: str) -> str:
    return format_money(Decimal(cents) / 100, currency, lang)


def form_values(limits: Limits | None, lang: str) -> dict[str, str]:
    if limits is None:
        return dict.fromkeys(FIELDS, "")
    return {
        "max_quantity": ""
        if limits.max_quantity_per_order is None
        else str(limits.max_quantity_per_order),
        "max_order_value": format_amount(limits.max_order_value_cents, lang),
        "period": limits.period or "",
        "period_budget": format_amount(limits.period_budget_cents, lang),
    }


def limits_summary(limits: Limits, currency: str, lang: str) -> list[str]:
    """The limits as short sentences, or one saying there are none."""
    lines = []
    if limits.max_quantity_per_order is not None:
        lines.append(
            translate(lang, "budgets.max_quantity_is", value=limits.max_quantity_per_order)
        )
    if limits.max_order_value_cents is not None:
        value = money(limits.max_order_value_cents, currency, lang)
        lines.append(translate(lang, "budgets.max_order_value_is", value=value))
    if limits.period_budget_cents is not None:
        value = money(limits.period_budget_cents, currency, lang)
        period = translate(lang, f"budgets.per.{limits.period}")
        lines.append(translate(lang, "budgets.period_budget_is", value=value, period=period))
    return lines or [translate(lang, "budgets.no_limits")]


@dataclass(frozen=True)
class SituationText:
    limit_lines: list[str]
    source: str
    has_period: bool = False
    period_label: str = ""
    spent: str = ""
    reserved: str = ""
    remaining: str = ""
    used_percent: int = 0
    over_budget: bool = False


def situation(found: BudgetSituation, lang: str) -> SituationText:
    """A user's limits, where they come from and, with a period budget, its use so far."""
    currency, limits, spending = found.currency, found.limits, found.spending
    lines = limits_summary(limits, currency, lang)
    source = translate(lang, f"budgets.source.{found.source or 'none'}")
    if limits.period_budget_cents is None or found.period_start is None:
        return SituationText(lines, source)
    end = found.period_end or found.period_start
    used = spending.spent_cents + spending.reserved_cents
    return SituationText(
        lines,
        source,
        has_period=True,
        period_label=translate(
            lang,
            "budgets.period_range",
            start=format_day(found.period_start, lang),
            end=format_day(date.fromordinal(end.toordinal() - 1), lang),
        ),
        spent=money(spending.spent_cents, currency, lang),
        reserved=money(spending.reserved_cents, currency, lang),
        remaining=money(found.remaining_cents or 0, currency, lang),
        used_percent=min(100, round(100 * used / (limits.period_budget_cents or 1))),
        over_budget=(found.remaining_cents or 0) < 0,
    )
