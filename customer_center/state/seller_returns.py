"""The seller's returns queue and one return (``seller.view``, the agent's account teams
only): approve, reject with a reason, record the receipt, ask for the credit note, settle
with a replacement, close; and the company's return window (``seller.settings``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from customer_center.domain.errors import ServiceError
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.presenters import returns as words
from customer_center.services.returns import records, seller
from customer_center.services.returns.records import ReturnView
from customer_center.settings import get_settings
from customer_center.state.access import staff
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field
from customer_center.state.paging import page_turners

VIEW = StaffPermission.VIEW
VIEWS = (seller.OPEN, "all")


class SellerReturnsState(PortalState):
    """``/seller/returns``: open requests, or all."""

    rows: list[dict[str, str]] = []
    view: str = seller.OPEN
    page: int = 0
    page_count: int = 1
    summary: str = ""
    loaded: bool = False

    async def _refresh(self) -> None:
        state = "" if self.view == "all" else self.view
        found = await in_transaction(seller.queue, self._agent(), state=state, page=self.page)
        self.rows = words.return_rows(found, self.lang, seller=True)
        self.page, self.page_count = found.page, found.page_count
        self.summary = words.summary(found, self.lang)
        self.loaded = True

    @staff(VIEW)
    async def load(self) -> None:
        self.page = 0
        await self._refresh()

    @staff(VIEW)
    async def set_view(self, view: str) -> None:
        self.view = view if isinstance(view, str) and view in VIEWS else seller.OPEN
        self.page = 0
        await self._refresh()

    next_page, previous_page = page_turners(staff(VIEW))


def _read(session: Any, agent: SellerAgent, *, return_id: int) -> tuple[ReturnView, int]:
    view = seller.read_return(session, agent, return_id=return_id, settings=get_settings())
    days = records.window_days(session, view.row.company_id, get_settings().return_window_days)
    return view, days


class SellerReturnState(PortalState):
    """``/seller/returns/[return_id]``."""

    head: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    timeline: list[dict[str, str]] = []
    window: str = ""
    may_set_window: bool = False  # seller.settings: the company's return window
    errors: dict[str, str] = {}
    notice: str = ""
    problem: str = ""
    loaded: bool = False
    _line_ids: list[str] = []

    def _return_id(self) -> int:
        return self._query_id("return_id") or 0

    async def _refresh(self) -> None:
        try:
            view, days = await in_transaction(_read, self._agent(), return_id=self._return_id())
        except ServiceError as error:
            self.head, self.lines, self.timeline = {}, [], []
            self.problem, self.loaded = self._t(error.code), True
            return
        self.head = words.head(view, self.lang, seller=True)
        self.lines = words.line_rows(view, self.lang)
        self.timeline = words.timeline_rows(view, self.lang)
        self._line_ids = [line["id"] for line in self.lines]
        self.window = str(days)
        self.may_set_window = self._agent().may(StaffPermission.SETTINGS)
        self.problem, self.loaded = "", True

    @staff(VIEW)
    async def load(self) -> None:
        self.errors, self.notice = {}, ""
        await self._refresh()

    async def _write(self, fn: Callable[..., Any], **kwargs: Any) -> None:
        try:
            await in_transaction(fn, self._agent(), return_id=self._return_id(), **kwargs)
        except ServiceError as error:
            self.errors, self.notice = field_errors(error, self.lang), ""
            if not self.errors:
                self.errors = {"form": self._t(error.code)}
            return
        self.errors, self.notice = {}, self._t("returns.saved")
        await self._refresh()

    @staff(VIEW)
    async def approve(self) -> None:
        await self._write(seller.approve)

    @staff(VIEW)
    async def reject(self, form: dict) -> None:
        await self._write(seller.reject, reason=text_field(form, "rejection", 600))

    @staff(VIEW)
    async def receive(self, form: dict) -> None:
        accepted = {i: text_field(form, f"accepted_{i}", 20) for i in self._line_ids}
        await self._write(seller.receive, accepted=accepted)

    @staff(VIEW)
    async def request_credit(self) -> None:
        await self._write(seller.request_credit)

    @staff(VIEW)
    async def request_credit_again(self) -> None:
        """Only after the outbox gave the request up (the service checks)."""
        await self._write(seller.request_credit_again)

    @staff(VIEW)
    async def replace(self) -> None:
        await self._write(seller.replace)

    @staff(VIEW)
    async def close(self) -> None:
        await self._write(seller.close)

    @staff(StaffPermission.SETTINGS)
    async def set_window(self, form: dict) -> None:
        """The return window of the return's company (the agent's team's company only)."""
        try:
            days = await in_transaction(
                _set_window,
                self._agent(),
                return_id=self._return_id(),
                days=text_field(form, "window", 10),
            )
        except ServiceError as error:
            self.errors, self.notice = field_errors(error, self.lang), ""
            return
        self.errors, self.notice = {}, self._t("returns.window_saved", days=days)
        self.window = str(days)


def _set_window(session: Any, agent: SellerAgent, *, return_id: int, days: str) -> int:
    found = seller.team_return(session, agent, return_id=return_id)
    return seller.set_window(
        session,
        agent,
        company_id=found.company_id,
        days=days,
        default=get_settings().return_window_days,
    )
