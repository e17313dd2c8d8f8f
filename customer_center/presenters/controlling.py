"""The controlling dashboard in words and chart data: the service's figures as small dicts
of a label, a number (bar heights) and the same number as display text."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_compact_currency

from customer_center.domain import routes
from customer_center.domain.languages import normalize_language
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day, format_moment
from customer_center.i18n.wording import money
from customer_center.presenters.people import role_label
from customer_center.services.budget_use import BudgetPage
from customer_center.services.controlling import ApprovalReport, SpendReport

NOTHING = "—"


def _amount(cents: int) -> float:
    """A chart's bar height in currency units (display only; the text says the exact sum)."""
    return float(Decimal(cents) / 100)


def _bar(label: str, cents: int, currency: str, lang: str) -> dict[str, Any]:
    return {"label": label, "amount": _amount(cents), "text": money(cents, currency, lang)}


def spend(report: SpendReport, lang: str) -> dict[str, Any]:
    """The range, the totals and the bars of months, top spenders and roles."""
    currency, locale = report.currency, normalize_language(lang)
    return {
        "range_text": translate(
            lang,
            "controlling.range_between",
            start=format_day(report.range_start, lang),
            end=format_day(report.range_end - timedelta(days=1), lang),
        ),
        "spent": money(report.spent_cents, currency, lang),
        "reserved": money(report.reserved_cents, currency, lang),
        "currency": currency,
        "months": [
            {
                **_bar(
                    format_date(date.fromisoformat(m.label), "MMM yy", locale=locale),
                    m.cents,
                    currency,
                    lang,
                ),
                "short": format_compact_currency(
                    _amount(m.cents), currency, locale=locale, fraction_digits=1
                )
                if m.cents
                else "",
            }
            for m in report.months
        ],
        "users": [_bar(u.label, u.cents, currency, lang) for u in report.users],
        "roles": [_bar(role_label(r.role, lang), r.cents, currency, lang) for r in report.roles],
    }


def approvals(report: ApprovalReport, lang: str) -> dict[str, Any]:
    """How many orders wait, the waiting steps by age, and the oldest of them."""
    return {
        "waiting": str(report.orders_waiting),
        "ages": [
            {"label": translate(lang, f"controlling.age.{bucket}"), "count": count}
            for bucket, count in report.steps_by_age
        ],
        "oldest": [
            {
                "href": routes.order_path(w.order_id),
                "number": w.number,
                "requester": w.requester,
                "approver": w.approver,
                "since": format_moment(w.since, lang),
                "total": money(w.total_cents, w.currency, lang),
            }
            for w in report.oldest
        ],
    }


def budget_rows(page: BudgetPage, lang: str) -> list[dict[str, str]]:
    """One row per user: the period, the budget, spent, reserved and what remains."""
    currency = page.currency

    def amount(cents: int | None) -> str:
        return NOTHING if cents is None else money(cents, currency, lang)

    return [
        {
            "name": row.name,
            "period": translate(lang, f"controlling.period.{row.period}")
            if row.period
            else NOTHING,
            "budget": amount(row.budget_cents),
            # Without a period budget there is no period to count spending in.
            "spent": amount(row.spent_cents if row.period else None),
            "reserved": amount(row.reserved_cents if row.period else None),
            "remaining": amount(row.remaining_cents),
            "over": "1" if (row.remaining_cents or 0) < 0 else "",
        }
        for row in page.rows
    ]
