"""The customer's returns and credit requests: the list (one page in SQL), the form of a
return or a credit request about a delivered order (``?order=<id>&kind=goods|credit``), and one
request with its lines, timeline and withdrawal.

Asking and withdrawing need ``returns.request``; the services decide what else a user sees.
Vars hold the presenters' small dicts only; the form's line ids stay on the server.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.domain.returns import ReturnKind
from customer_center.presenters import returns as words
from customer_center.services.returns import customer
from customer_center.services.returns.records import ReturnView
from customer_center.settings import get_settings
from customer_center.state.access import requires, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners

REQUEST = Permission.RETURNS_REQUEST


class ReturnsState(PortalState):
    """``/returns``."""

    rows: list[dict[str, str]] = []
    page: int = 0
    page_count: int = 1
    summary: str = ""
    loaded: bool = False

    async def _refresh(self) -> None:
        found = await in_transaction(customer.list_returns, self._actor(), page=self.page)
        self.rows = words.return_rows(found, self.lang)
        self.page, self.page_count = found.page, found.page_count
        self.summary = words.summary(found, self.lang)
        self.loaded = True

    @signed_in
    async def load(self) -> None:
        self.page = 0
        await self._refresh()

    next_page, previous_page = page_turners(signed_in)


class ReturnNewState(PortalState):
    """``/returns/new?order=<id>&kind=goods|credit``."""

    kind: str = ReturnKind.GOODS
    head: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    reasons: list[dict[str, str]] = []
    conditions: list[dict[str, str]] = []
    outcomes: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    problem: str = ""
    _order_id: int = 0
    _line_ids: list[str] = []

    @requires(REQUEST)
    async def load(self) -> None:
        wanted = self._param("kind")
        self.kind = wanted if wanted in set(ReturnKind) else ReturnKind.GOODS
        self._order_id = self._query_id("order") or 0
        self.errors = {}
        try:
            found = await in_transaction(
                customer.returnable,
                self._actor(),
                order_id=self._order_id,
                kind=self.kind,
                settings=get_settings(),
            )
        except ServiceError as error:
            self.head, self.lines, self._line_ids = {}, [], []
            self.problem = self._t(error.code)
            return
        self.head = words.form_head(found, self.lang)
        self.lines = words.form_lines(found, self.lang)
        self._line_ids = [line["id"] for line in self.lines]
        options = words.choices(self.kind, self.lang)
        self.reasons = options["reasons"]
        self.conditions, self.outcomes = options["conditions"], options["outcomes"]
        self.problem = ""

    @requires(REQUEST)
    async def submit(self, form: dict) -> Any:
        try:
            return_id = await in_transaction(
                customer.request_return,
                self._actor(),
                order_id=self._order_id,
                kind=self.kind,
                reason=text_field(form, "reason", 32),
                condition=text_field(form, "condition", 32),
                outcome=text_field(form, "outcome", 32) or "credit",
                comment=text_field(form, "comment", 1100),
                quantities={i: text_field(form, f"qty_{i}", 20) for i in self._line_ids},
                amounts={i: text_field(form, f"amount_{i}", 20) for i in self._line_ids},
                settings=get_settings(),
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            if not self.errors:
                self.errors = {"form": self._t(error.code)}
            return None
        self.errors = {}
        return rx.redirect(routes.return_path(return_id))


class ReturnViewState(PortalState):
    """``/returns/[return_id]``."""

    head: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    timeline: list[dict[str, str]] = []
    notice: str = ""
    problem: str = ""
    loaded: bool = False

    def _return_id(self) -> int:
        return self._query_id("return_id") or 0

    async def _refresh(self) -> None:
        try:
            view: ReturnView = await in_transaction(
                customer.read_return,
                self._actor(),
                return_id=self._return_id(),
                settings=get_settings(),
            )
        except ServiceError as error:
            self.head, self.lines, self.timeline = {}, [], []
            self.problem, self.loaded = self._t(error.code), True
            return
        self.head = words.head(view, self.lang)
        self.lines = words.line_rows(view, self.lang)
        self.timeline = words.timeline_rows(view, self.lang)
        self.problem, self.loaded = "", True

    @signed_in
    async def load(self) -> None:
        self.notice = ""
        await self._refresh()

    @requires(REQUEST)
    async def withdraw(self) -> None:
        try:
            await in_transaction(customer.withdraw, self._actor(), return_id=self._return_id())
        except ServiceError as error:
            self.notice, self.problem = "", self._t(error.code)
            return
        self.notice = self._t("returns.withdrawn_done")
        await self._refresh()
