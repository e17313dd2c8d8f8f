"""The console's company search (``/seller/companies``, ``seller.view``): one box for a
customer number, a name, a user's e-mail or an order number, a page of hits at a time."""

from __future__ import annotations

from customer_center.domain.staff import StaffPermission
from customer_center.presenters.seller import search_rows, search_summary
from customer_center.services.people.names import SEARCH_MAX
from customer_center.services.seller.companies import find_companies, search_term
from customer_center.state.access import staff
from customer_center.state.base import PortalState, in_transaction
from customer_center.state.paging import page_turners

VIEW = StaffPermission.VIEW


class SellerCompaniesState(PortalState):
    query: str = ""
    rows: list[dict[str, str]] = []
    summary: str = ""
    page: int = 0
    has_next: bool = False
    loaded: bool = False

    async def _refresh(self) -> None:
        found = await in_transaction(
            find_companies, self._agent(), query=self.query, page=self.page
        )
        self.rows = search_rows(found, self.lang)
        self.summary = search_summary(found, self.lang)
        self.page, self.has_next, self.loaded = found.page, found.has_next, True

    @staff(VIEW)
    async def load(self) -> None:
        """The search of the address (``?q=``) if there is one, else an empty box."""
        self.query, self.page = search_term(self._param("q")), 0
        await self._refresh()

    @staff(VIEW)
    async def set_query(self, value: str) -> None:
        self.query = value[:SEARCH_MAX] if isinstance(value, str) else ""
        self.page = 0
        await self._refresh()

    next_page, previous_page = page_turners(staff(VIEW), page_count=None, has_next="has_next")
