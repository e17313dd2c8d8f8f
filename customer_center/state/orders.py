"""The order list (/orders): filters as plain strings, one page of orders as display strings.

The filter is kept in the form the CSV route reads (:func:`filter_from_params`), so the
screen and the export always list the same orders. Amounts are typed in the user's language
and kept as cents; dates are local days. Handlers are open to every signed-in user; the
service decides what they see (their own orders, or the company's with orders.view_all).
"""

from __future__ import annotations

from urllib.parse import urlencode

from customer_center.domain import routes
from customer_center.domain.budgets import AmountError, format_amount, parse_money
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import bounded_text, parse_id
from customer_center.domain.permissions import Permission
from customer_center.presenters.orders import list_rows
from customer_center.services.orders import lists
from customer_center.services.orders.lists import (
    LISTED_STATUSES,
    SCOPE_ALL,
    SCOPE_MINE,
    SORTS,
    OrderFilter,
    OrderPage,
    filter_from_params,
    filter_to_params,
)
from customer_center.state.access import signed_in
from customer_center.state.base import PortalState, in_transaction
from customer_center.state.paging import page_turners

EXPORT_PATH = routes.EXPORT_ORDERS
ALL = "all"
PARAMS = ("scope", "status", "requester", "from", "to", "min", "max", "sort", "dir")
REQUESTER_CHOICES = 50


class OrderListState(PortalState):
    allowed: bool = False
    can_view_all: bool = False
    scope: str = SCOPE_MINE
    status: str = ALL
    requester: str = ALL
    requester_search: str = ""
    requester_options: list[dict[str, str]] = []
    date_from: str = ""
    date_to: str = ""
    min_value: str = ""
    max_value: str = ""
    sort: str = "submitted"
    descending: bool = True
    page: int = 0
    page_count: int = 1
    total: int = 0
    total_text: str = ""
    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    export_href: str = EXPORT_PATH
    _min_cents: int | None = None
    _max_cents: int | None = None
    _requester_label: str = ""

    def _filter(self) -> OrderFilter:
        return filter_from_params(
            {
                "scope": self.scope,
                "status": "" if self.status == ALL else self.status,
                "requester": "" if self.requester == ALL else self.requester,
                "from": self.date_from,
                "to": self.date_to,
                "min": "" if self._min_cents is None else str(self._min_cents),
                "max": "" if self._max_cents is None else str(self._max_cents),
                "sort": self.sort,
                "dir": "desc" if self.descending else "asc",
            }
        )

    def _show_filter(self, order_filter: OrderFilter) -> None:
        """Put back what the parser kept: a value it dropped is not shown as if it applied."""
        f = order_filter
        self.scope = f.scope if self.can_view_all else SCOPE_MINE
        self.status = f.status or ALL
        self.requester = str(f.requester_id) if f.requester_id is not None else ALL
        self.date_from = f.date_from.isoformat() if f.date_from else ""
        self.date_to = f.date_to.isoformat() if f.date_to else ""
        self._min_cents, self._max_cents = f.min_cents, f.max_cents
        self.sort, self.descending = f.sort, f.descending

    async def _refresh(self) -> None:
        order_filter = self._filter()
        self._show_filter(order_filter)
        params = filter_to_params(order_filter)
        self.export_href = EXPORT_PATH + ("?" + urlencode(params) if params else "")
        problems = self._range_problems(order_filter)
        if problems:
            self.errors = problems
            self.rows, self.total, self.page_count, self.total_text = [], 0, 1, ""
            return
        try:
            page = await in_transaction(
                lists.orders_page, self._actor(), order_filter=order_filter, page=self.page
            )
        except ServiceError:
            self.allowed, self.rows = False, []
            return
        self._show_page(page)

    def _range_problems(self, f: OrderFilter) -> dict[str, str]:
        problems = {k: v for k, v in self.errors.items() if k in ("min_value", "max_value")}
        if f.date_from and f.date_to and f.date_from > f.date_to:
            problems["date_to"] = self._t("order_list.error.date_range")
        if f.min_cents is not None and f.max_cents is not None and f.min_cents > f.max_cents:
            problems["max_value"] = self._t("order_list.error.value_range")
        return problems

    def _show_page(self, page: OrderPage) -> None:
        lang = self.lang
        self.errors = {}
        self.rows = list_rows(page.rows, lang)
        self.total, self.page, self.page_count = page.total, page.page, page.page_count
        self.total_text = self._t(
            "order_list.count_more" if page.more else "order_list.count", count=page.total
        )

    async def _load_requesters(self) -> None:
        if not self.can_view_all:
            self.requester_options = []
            return
        found = await in_transaction(
            lists.requester_choices,
            self._actor(),
            search=self.requester_search,
            limit=REQUESTER_CHOICES,
        )
        options = [{"id": str(user_id), "label": name} for user_id, name in found]
        chosen, label = self.requester, self._requester_label
        if chosen != ALL and label and all(o["id"] != chosen for o in options):
            options.insert(0, {"id": chosen, "label": label})
        self.requester_options = options

    @signed_in
    async def load(self) -> None:
        """Filters may come in the address (``/orders?scope=all&status=shipped``)."""
        self.can_view_all = self._may(Permission.ORDERS_VIEW_ALL)
        self.allowed = self.can_view_all or self._may(Permission.ORDERS_VIEW_OWN)
        self.errors, self.requester_search, self._requester_label, self.page = {}, "", "", 0
        if not self.allowed:
            self.rows, self.requester_options = [], []
            return
        self._show_filter(filter_from_params({name: self._param(name) for name in PARAMS}))
        self.min_value = format_amount(self._min_cents, self.lang)
        self.max_value = format_amount(self._max_cents, self.lang)
        await self._load_requesters()
        self._requester_label = next(
            (o["label"] for o in self.requester_options if o["id"] == self.requester), ""
        )
        await self._refresh()

    @signed_in
    async def set_scope(self, value: str | list[str]) -> None:
        self.scope = SCOPE_ALL if value == SCOPE_ALL and self.can_view_all else SCOPE_MINE
        self.page = 0
        await self._refresh()

    @signed_in
    async def set_status(self, value: str) -> None:
        self.status = value if value in LISTED_STATUSES else ALL
        self.page = 0
        await self._refresh()

    @signed_in
    async def search_requester(self, value: str) -> None:
        self.requester_search = bounded_text(value, 60)
        await self._load_requesters()

    @signed_in
    async def set_requester(self, value: str) -> None:
        chosen = bounded_text(value, 12)
        self.requester = chosen if parse_id(chosen) is not None else ALL
        self._requester_label = next(
            (o["label"] for o in self.requester_options if o["id"] == self.requester), ""
        )
        self.page = 0
        await self._refresh()

    @signed_in
    async def set_date_from(self, value: str) -> None:
        self.date_from, self.page = bounded_text(value, 10), 0
        await self._refresh()

    @signed_in
    async def set_date_to(self, value: str) -> None:
        self.date_to, self.page = bounded_text(value, 10), 0
        await self._refresh()

    def _amount(self, field: str, value: object) -> int | None:
        text = bounded_text(value, 30).strip()
        self.errors = {k: v for k, v in self.errors.items() if k != field}
        if not text:
            return None
        try:
            return parse_money(text, self.lang)
        except AmountError as problem:
            self.errors = {**self.errors, field: self._t(problem.code)}
            return None

    @signed_in
    async def set_min_value(self, value: str) -> None:
        self.min_value = bounded_text(value, 30)
        self._min_cents, self.page = self._amount("min_value", value), 0
        await self._refresh()

    @signed_in
    async def set_max_value(self, value: str) -> None:
        self.max_value = bounded_text(value, 30)
        self._max_cents, self.page = self._amount("max_value", value), 0
        await self._refresh()

    @signed_in
    async def sort_by(self, column: str) -> None:
        if column not in SORTS:
            return
        self.descending = not self.descending if self.sort == column else column != "requester"
        self.sort, self.page = column, 0
        await self._refresh()

    @signed_in
    async def reset_filters(self) -> None:
        self.status, self.requester, self.date_from, self.date_to = ALL, ALL, "", ""
        self.min_value, self.max_value, self._min_cents, self._max_cents = "", "", None, None
        self.sort, self.descending, self.page, self.errors = "submitted", True, 0, {}
        self.requester_search, self._requester_label = "", ""
        await self._load_requesters()
        await self._refresh()

    next_page, previous_page = page_turners(signed_in)
