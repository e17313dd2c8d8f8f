"""Spending limits: which apply to a user, and which of them an order would exceed, and why.

Money is in minor units (cents) of the company currency; ``None`` means "no limit".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from customer_center.domain.inputs import MAX_DB_INT
from customer_center.domain.languages import normalize_language
from customer_center.domain.people import RuleScope

PERIODS = ("month", "quarter", "year")

MAX_CENTS = MAX_DB_INT  # 21,474,836.47: what the INTEGER columns of amounts hold


@dataclass(frozen=True)
class Limits:
    max_quantity_per_order: int | None = None
    max_order_value_cents: int | None = None
    period: str | None = None
    period_budget_cents: int | None = None

    @property
    def is_unlimited(self) -> bool:
        return (
            self.max_quantity_per_order is None
            and self.max_order_value_cents is None
            and self.period_budget_cents is None
        )


NO_LIMITS = Limits()


@dataclass(frozen=True)
class Spending:
    spent_cents: int = 0
    reserved_cents: int = 0


@dataclass(frozen=True)
class OrderFigures:
    total_quantity: int
    total_cents: int


@dataclass(frozen=True)
class LimitBreach:
    """One exceeded limit: ``kind`` names it, the figures say by how much."""

    kind: str  # quantity | order_value | period_budget
    actual: int  # the order's quantity or value
    limit: int
    already_used: int = 0  # period budget: spent + reserved before this order
    period: str | None = None  # period budget: month | quarter | year

    @property
    def code(self) -> str:
        """The message id of the reason (worded by presenters.breaches)."""
        return f"budget.breach.{self.kind}"


def _most_generous(values: list[int | None]) -> int | None:
    return None if any(v is None for v in values) else max(values)  # type: ignore[type-var]


_PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}


def _per_year(limits: Limits) -> tuple[int, int]:
    """Budgets of different periods compare by what they allow over a year."""
    per_year = (limits.period_budget_cents or 0) * _PERIODS_PER_YEAR.get(
        limits.period or "month", 12
    )
    return per_year, PERIODS.index(limits.period) if limits.period in PERIODS else 0


def combine_role_limits(role_limits: list[Limits]) -> Limits:
    """Several roles: the most generous value per field (no limit beats any limit)."""
    budgets = [r for r in role_limits if r.period_budget_cents is not None]
    period_field: tuple[str | None, int | None] = (None, None)
    if len(budgets) == len(role_limits) and budgets:
        widest = max(budgets, key=_per_year)
        period_field = (widest.period, widest.period_budget_cents)
    return Limits(
        max_quantity_per_order=_most_generous([r.max_quantity_per_order for r in role_limits]),
        max_order_value_cents=_most_generous([r.max_order_value_cents for r in role_limits]),
        period=period_field[0],
        period_budget_cents=period_field[1],
    )


def effective_limits(
    user_rule: Limits | None, role_rules: list[Limits], company_rule: Limits | None
) -> tuple[Limits, RuleScope | None]:
    """The user's own rule wins as a whole; else their roles' defaults; else the company's."""
    if user_rule is not None:
        return user_rule, RuleScope.USER
    if role_rules:
        return combine_role_limits(role_rules), RuleScope.ROLE
    if company_rule is not None:
        return company_rule, RuleScope.COMPANY
    return NO_LIMITS, None


def period_bounds(period: str, today: date) -> tuple[date, date]:
    """First day of the period containing ``today`` and first day of the next one."""
    if period == "year":
        return date(today.year, 1, 1), date(today.year + 1, 1, 1)
    months = 3 if period == "quarter" else 1
    first_month = (today.month - 1) // months * months + 1
    start = date(today.year, first_month, 1)
    next_month = first_month + months
    end = date(today.year + (next_month > 12), (next_month - 1) % 12 + 1, 1)
    return start, end


def remaining_cents(limits: Limits, spending: Spending) -> int | None:
    if limits.period_budget_cents is None:
        return None
    return limits.period_budget_cents - spending.spent_cents - spending.reserved_cents


def limit_breaches(order: OrderFigures, limits: Limits, spending: Spending) -> list[LimitBreach]:
    """Every limit the order exceeds; reaching a limit exactly is allowed."""
    breaches = []
    if (
        limits.max_quantity_per_order is not None
        and order.total_quantity > limits.max_quantity_per_order
    ):
        breaches.append(
            LimitBreach("quantity", order.total_quantity, limits.max_quantity_per_order)
        )
    if (
        limits.max_order_value_cents is not None
        and order.total_cents > limits.max_order_value_cents
    ):
        breaches.append(LimitBreach("order_value", order.total_cents, limits.max_order_value_cents))
    if limits.period_budget_cents is not None:
        used = spending.spent_cents + spending.reserved_cents
        if used + order.total_cents > limits.period_budget_cents:
            breaches.append(
                LimitBreach(
                    "period_budget",
                    order.total_cents,
                    limits.period_budget_cents,
                    used,
                    limits.period,
                )
            )
    return breaches


def breaches_now(recorded: list[LimitBreach], order: OrderFigures) -> list[LimitBreach]:
    """The limits an order was sent for approval over, with the figures of its current
    revision (an approver may have changed it since): the amounts are today's, the limits
    and the budget used before it those of the submission; a limit it no longer exceeds is
    left out."""
    found = []
    for breach in recorded:
        actual = order.total_quantity if breach.kind == "quantity" else order.total_cents
        if breach.already_used + actual > breach.limit:
            found.append(replace(breach, actual=actual))
    return found


class AmountError(ValueError):
    """An amount that cannot be read; ``code`` (also ``str(error)``) is the message id."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Whole part with or without thousands separators, then at most two decimals. ASCII digits only.
_AMOUNT = {
    "en": re.compile(r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+)(?:\.(?P<fraction>[0-9]+))?"),
    "de": re.compile(r"(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})*|[0-9]+)(?:,(?P<fraction>[0-9]+))?"),
}


def parse_money(text: str, lang: str) -> int:
    """An amount as typed in ``lang`` (``10,000.00`` / ``10.000,00`` / ``10000``) in cents.

    Raises :class:`AmountError` (``budget.error.negative`` / ``.decimals`` / ``.amount`` /
    ``.too_large``) when the text is not a non-negative amount with at most two decimals.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if cleaned.startswith("-"):
        raise AmountError("budget.error.negative")
    match = _AMOUNT[normalize_language(lang)].fullmatch(cleaned)
    if match is None:
        raise AmountError("budget.error.amount")
    fraction = match["fraction"] or ""
    if len(fraction) > 2:
        raise AmountError("budget.error.decimals")
    whole = int(re.sub("[^0-9]", "", match["whole"]))
    cents = whole * 100 + int((fraction + "00")[:2])
    if cents > MAX_CENTS:
        raise AmountError("budget.error.too_large")
    return cents


def format_amount(cents: int | None, lang: str) -> str:
    """The number as a form shows it back (no currency sign): ``10,000.00`` / ``10.000,00``."""
    if cents is None:
        return ""
    text = f"{Decimal(cents) / 100:,.2f}"
    return text.translate(str.maketrans(",.", ".,")) if normalize_language(lang) == "de" else text
