"""The console's order pages (``seller.view``): a company's orders, paginated and filtered by
status, and one order's full journey with the price check of its lines.

Ids come from the URL (parsed, then checked by the services against the company); every
read runs in a worker thread; the vars hold the presenters' small dicts only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.presenters.prices import order_check_view
from customer_center.presenters.seller_orders import journey_view, order_list_rows, page_summary
from customer_center.services.orders.lists import LISTED_STATUSES, OrderPage
from customer_center.services.seller.company_head import CompanyHead, company_head
from customer_center.services.seller.company_orders import company_orders
from customer_center.services.seller.order_journey import OrderJourney, order_journey
from customer_center.services.seller.prices import OrderPriceCheck, order_price_check
from customer_center.services.wiring import erp_client
from customer_center.state.access import staff
from customer_center.state.base import PortalState, in_transaction

VIEW = StaffPermission.VIEW
ALL = "all"


def _orders_of(
    session: Session, agent: SellerAgent, *, company_id: int, status: str, page: int
) -> tuple[CompanyHead, OrderPage]:
    head = company_head(session, agent, company_id=company_id)
    found = company_orders(session, agent, company_id=company_id, status=status, page=page)
    return head, found


class SellerOrdersState(PortalState):
    """``/seller/companies/[company_id]/orders``."""

    company_id: str = ""
    company_name: str = ""
    rows: list[dict[str, str]] = []
    status: str = ALL
    page: int = 0
    page_count: int = 1
    total: int = 0
    summary: str = ""
    loaded: bool = False
    problem: str = ""

    def _company_id(self) -> int:
        """The company of the page's address (0: none); the services check it."""
        return self._query_id("company_id") or 0

    async def _refresh(self) -> None:
        status = "" if self.status == ALL else self.status
        try:
            head, found = await in_transaction(
                _orders_of,
                self._agent(),
                company_id=self._company_id(),
                status=status,
                page=self.page,
            )
        except ServiceError as error:
            self._clear(self._t(error.code))
            return
        self.company_id, self.company_name = str(head.company_id), head.name
        self.rows = order_list_rows(found.rows, head.company_id, self.lang)
        self.page, self.page_count, self.total = found.page, found.page_count, found.total
        self.summary = page_summary(found, self.lang)
        self.loaded, self.problem = True, ""

    def _clear(self, problem: str) -> None:
        self.company_id, self.company_name, self.rows, self.total = "", "", [], 0
        self.summary, self.page, self.page_count = "", 0, 1
        self.loaded, self.problem = True, problem

    @staff(VIEW)
    async def load(self) -> None:
        wanted = self._param("status")
        self.status = wanted if wanted in LISTED_STATUSES else ALL
        self.page = 0
        await self._refresh()

    @staff(VIEW)
    async def set_status(self, status: str) -> None:
        if not self._company_id():
            return
        self.status = status if isinstance(status, str) and status in LISTED_STATUSES else ALL
        self.page = 0
        await self._refresh()

    @staff(VIEW)
    async def next_page(self) -> None:
        if self._company_id() and self.page + 1 < self.page_count:
            self.page += 1
            await self._refresh()

    @staff(VIEW)
    async def previous_page(self) -> None:
        if self._company_id() and self.page > 0:
            self.page -= 1
            await self._refresh()


@dataclass(frozen=True)
class _JourneyRead:
    head: CompanyHead
    journey: OrderJourney
    prices: OrderPriceCheck | None
    prices_problem: str  # the code of why the prices could not be checked


def _journey_of(
    session: Session, agent: SellerAgent, *, company_id: int, order_id: int
) -> tuple[CompanyHead, OrderJourney]:
    return (
        company_head(session, agent, company_id=company_id),
        order_journey(session, agent, company_id=company_id, order_id=order_id),
    )


def _prices_of(
    session: Session, agent: SellerAgent, *, company_id: int, order_id: int
) -> tuple[OrderPriceCheck | None, str]:
    """The price check in a unit of work of its own: the journey's records its view (a
    write), and the ERP is never asked inside a transaction that wrote."""
    try:
        prices = order_price_check(
            session, agent, erp=erp_client(), company_id=company_id, order_id=order_id
        )
    except ServiceError as error:  # the ERP cannot be reached: the journey still shows
        return None, error.code
    return prices, ""


class SellerOrderJourneyState(PortalState):
    """``/seller/companies/[company_id]/orders/[order_id]``: the full journey and the price
    check of the order's lines."""

    company_id: str = ""
    company_name: str = ""
    found: bool = False
    loaded: bool = False
    problem: str = ""
    head: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    erp_reports: list[dict[str, str]] = []
    shipments: list[dict[str, str]] = []
    mails: list[dict[str, str]] = []
    timeline: list[dict[str, str]] = []
    price_lines: list[dict[str, str]] = []
    price_summary: str = ""
    price_priced_on: str = ""
    price_mismatches: int = 0
    price_problem: str = ""

    @staff(VIEW)
    async def load(self) -> None:
        company = self._query_id("company_id") or 0
        order = self._query_id("order_id") or 0
        agent = self._agent()
        try:
            head, journey = await in_transaction(
                _journey_of, agent, company_id=company, order_id=order
            )
        except ServiceError as error:
            self._clear(self._t(error.code))
            return
        prices, problem = await in_transaction(
            _prices_of, agent, company_id=company, order_id=order
        )
        self._show(_JourneyRead(head, journey, prices, problem))

    def _show(self, read: _JourneyRead) -> None:
        view = journey_view(read.journey, self.lang)
        self.company_id, self.company_name = str(read.head.company_id), read.head.name
        self.head, self.lines, self.timeline = view.head, view.lines, view.timeline
        self.erp_reports, self.shipments, self.mails = view.erp_reports, view.shipments, view.mails
        self.found, self.loaded, self.problem = True, True, ""
        if read.prices is None:
            self.price_lines, self.price_summary, self.price_priced_on = [], "", ""
            self.price_mismatches, self.price_problem = 0, self._t(read.prices_problem)
            return
        check = order_check_view(read.prices, self.lang)
        self.price_lines, self.price_summary = check["lines"], check["summary"]
        self.price_priced_on, self.price_problem = check["priced_on"], ""
        self.price_mismatches = len(read.prices.mismatches)

    def _clear(self, problem: str) -> None:
        self.company_id, self.company_name, self.head = "", "", {}
        self.lines, self.erp_reports, self.shipments, self.mails, self.timeline = [], [], [], [], []
        self.price_lines, self.price_summary, self.price_priced_on = [], "", ""
        self.price_mismatches, self.price_problem = 0, ""
        self.found, self.loaded, self.problem = False, True, problem
