"""The controlling dashboard (/controlling): figures summed by the service, worded by
``presenters.controlling`` as charts and tables. Chart data are small dicts of a label, a number
and the same number as display text; no row of any table reaches the browser."""

from __future__ import annotations

from typing import Any

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.presenters import controlling as controlling_words
from customer_center.presenters import returns as returns_words
from customer_center.services import budget_use, controlling
from customer_center.services.budget_use import BudgetPage
from customer_center.services.controlling import RANGES, ApprovalReport, SpendReport
from customer_center.services.returns import report as returns_report
from customer_center.state.access import requires
from customer_center.state.base import PortalState, in_transaction
from customer_center.state.paging import page_turners

VIEW = Permission.REPORTS_VIEW


class ControllingState(PortalState):
    range: str = "12m"
    range_text: str = ""
    currency: str = ""
    spent: str = ""
    reserved: str = ""
    waiting: str = "0"
    months: list[dict[str, Any]] = []
    returned: list[dict[str, Any]] = []  # the value credited for returns, per month
    users: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    ages: list[dict[str, Any]] = []
    oldest: list[dict[str, str]] = []
    budgets: list[dict[str, str]] = []
    budget_page: int = 0
    budget_page_count: int = 1
    problem: str = ""

    def _show_spend(self, report: SpendReport) -> None:
        shown = controlling_words.spend(report, self.lang)
        self.range_text, self.spent, self.reserved = (
            shown["range_text"],
            shown["spent"],
            shown["reserved"],
        )
        self.currency, self.months = shown["currency"], shown["months"]
        self.users, self.roles = shown["users"], shown["roles"]

    def _show_approvals(self, report: ApprovalReport) -> None:
        shown = controlling_words.approvals(report, self.lang)
        self.waiting, self.ages, self.oldest = shown["waiting"], shown["ages"], shown["oldest"]

    def _show_budgets(self, page: BudgetPage) -> None:
        self.budgets = controlling_words.budget_rows(page, self.lang)
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
            returned = await in_transaction(returns_report.returned_per_month, self._actor())
            self.returned = returns_words.returned_bars(returned, self.currency, self.lang)
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

    next_budget_page, previous_budget_page = page_turners(
        requires(VIEW),
        names=("next_budget_page", "previous_budget_page"),
        page="budget_page",
        page_count="budget_page_count",
        show="_show_budget_page",
    )

    async def _show_budget_page(self) -> None:
        try:
            await self._refresh_budgets()
        except ServiceError as error:
            self.problem = self._t(error.code)
