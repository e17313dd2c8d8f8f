"""The controlling dashboard (/controlling): figures summed by the service, shown as charts and
tables. Chart data are small dicts of a label, a number and the same number as display text;
no row of any table reaches the browser."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_compact_currency

from customer_center.domain.budgets import money
from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.i18n.catalog import normalize_language
from customer_center.i18n.formatting import format_day, format_moment
from customer_center.services import budget_use, controlling
from customer_center.services.budget_use import BudgetPage
from customer_center.services.controlling import RANGES, ApprovalReport, SpendReport
from customer_center.state.access import requires
from customer_center.state.base import PortalState, in_transaction

VIEW = Permission.REPORTS_VIEW


def _amount(cents: int) -> float:
    """A chart's bar height in currency units (display only; the text says the exact sum)."""
    return float(Decimal(cents) / 100)


class ControllingState(PortalState):
    range: str = "12m"
    range_text: str = ""
    currency: str = ""
    spent: str = ""
    reserved: str = ""
    waiting: str = "0"
    months: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    ages: list[dict[str, Any]] = []
    oldest: list[dict[str, str]] = []
    budgets: list[dict[str, str]] = []
    budget_page: int = 0
    budget_page_count: int = 1
    problem: str = ""

    def _bar(self, label: str, cents: int, currency: str) -> dict[str, Any]:
        return {"label": label, "amount": _amount(cents), "text": money(cents, currency, self.lang)}

    def _show_spend(self, report: SpendReport) -> None:
        lang, currency = self.lang, report.currency
        locale = normalize_language(lang)
        self.range_text = self._t(
            "controlling.range_between",
            start=format_day(report.range_start, lang),
            end=format_day(report.range_end - timedelta(days=1), lang),
        )
        self.spent = money(report.spent_cents, currency, lang)
        self.reserved = money(report.reserved_cents, currency, lang)
        self.months = [
            {
                **self._bar(
                    format_date(date.fromisoformat(m.label), "MMM yy", locale=locale),
                    m.cents,
                    currency,
                ),
                "short": format_compact_currency(
                    _amount(m.cents), currency, locale=locale, fraction_digits=1
                )
                if m.cents
                else "",
            }
            for m in report.months
        ]
        self.currency = currency
        self.users = [self._bar(u.label, u.cents, currency) for u in report.users]
        self.roles = [
            self._bar(
                self._t(r.label) if r.label.startswith("role.") else r.label, r.cents, currency
            )
            for r in report.roles
        ]

    def _show_approvals(self, report: ApprovalReport) -> None:
        lang = self.lang
        self.waiting = str(report.orders_waiting)
        self.ages = [
            {"label": self._t(f"controlling.age.{bucket}"), "count": count}
            for bucket, count in report.steps_by_age
        ]
        self.oldest = [
            {
                "href": f"/orders/{w.order_id}",
                "number": w.number,
                "requester": w.requester,
                "approver": w.approver,
                "since": format_moment(w.since, lang),
                "total": money(w.total_cents, w.currency, lang),
            }
            for w in report.oldest
        ]

    def _show_budgets(self, page: BudgetPage) -> None:
        lang, currency = self.lang, page.currency

        def amount(cents: int | None) -> str:
            return "—" if cents is None else money(cents, currency, lang)

        self.budgets = [
            {
                "name": row.name,
                "period": self._t(f"controlling.period.{row.period}") if row.period else "—",
                "budget": amount(row.budget_cents),
                # Without a period budget there is no period to count spending in.
                "spent": amount(row.spent_cents if row.period else None),
                "reserved": amount(row.reserved_cents if row.period else None),
                "remaining": amount(row.remaining_cents),
                "over": "1" if (row.remaining_cents or 0) < 0 else "",
            }
            for row in page.rows
        ]
        self.budget_page, self.budget_page_count = page.page, page.page_count

    async def _refresh_spend(self) -> None:
        self._show_spend(
            await in_transaction(controlling.spend_report, self._actor(), range_code=self.range)
        )

    async def _refresh_budgets(self) -> None:
        page = await in_transaction(
            budget_use.budget_use_page, self._actor(), page=self.budget_page
        )
        self._show_budgets(page)

    @requires(VIEW)
    async def load(self) -> None:
        self.problem, self.budget_page = "", 0
        try:
            await self._refresh_spend()
            self._show_approvals(await in_transaction(controlling.approval_report, self._actor()))
            await self._refresh_budgets()
        except ServiceError as error:
            self.problem = self._t(error.code)

    @requires(VIEW)
    async def set_range(self, value: str | list[str]) -> None:
        self.range = value if isinstance(value, str) and value in RANGES else "12m"
        try:
            await self._refresh_spend()
        except ServiceError as error:
            self.problem = self._t(error.code)

    @requires(VIEW)
    async def next_budget_page(self) -> None:
        if self.budget_page + 1 < self.budget_page_count:
            self.budget_page += 1
            try:
                await self._refresh_budgets()
            except ServiceError as error:
                self.problem = self._t(error.code)

    @requires(VIEW)
    async def previous_budget_page(self) -> None:
        if self.budget_page > 0:
            self.budget_page -= 1
            try:
                await self._refresh_budgets()
            except ServiceError as error:
                self.problem = self._t(error.code)
