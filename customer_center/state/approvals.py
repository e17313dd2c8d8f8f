"""The approvals inbox (one page of it) and the count in the navigation."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.models.base import utcnow
from customer_center.presenters.orders import inbox_rows
from customer_center.services.orders.inbox import inbox, waiting_count
from customer_center.state.access import customer_principal, requires, signed_in
from customer_center.state.base import PortalState, in_transaction
from customer_center.state.paging import page_turners

DECIDE = Permission.APPROVALS_DECIDE


class ApprovalsInboxState(PortalState):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    page_count: int = 1
    problem: str = ""

    async def _refresh(self) -> None:
        try:
            found = await in_transaction(inbox, self._actor(), page=self.page)
        except ServiceError as error:
            self.rows, self.total, self.problem = [], 0, self._t(error.code)
            return
        self.rows = inbox_rows(found.rows, self.lang, utcnow())
        self.total, self.page, self.page_count = found.total, found.page, found.page_count
        self.problem = ""

    @requires(DECIDE)
    async def load(self) -> None:
        self.page = 0
        await self._refresh()

    next_page, previous_page = page_turners(requires(DECIDE))


class ApprovalsBadgeState(PortalState):
    """How many orders wait for the signed-in user; read when the navigation appears."""

    waiting: int = 0

    @signed_in
    async def refresh(self) -> None:
        context = customer_principal()
        if context is None or not context.may(DECIDE):
            self.waiting = 0
            return
        self.waiting = await in_transaction(waiting_count, context)
