""" "Order again" on an order's page: its lines into the cart at today's prices.

The order comes from the page's route, a client value like any other: the service loads it
by (id, the actor's company) and the viewing rule, so another company's order or one the
actor may not see is "not found".
"""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.presenters.quick_order import change_text
from customer_center.services.orders.reorder import reorder
from customer_center.services.wiring import erp_client
from customer_center.state.access import requires, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction
from customer_center.state.cart import CartBadgeState


class ReorderState(PortalState):
    done: str = ""
    problem: str = ""
    changes: list[str] = []

    @signed_in
    def load(self) -> None:
        """Opening an order: nothing said yet (every viewer; it reads nothing)."""
        self.done, self.problem, self.changes = "", "", []

    @requires(Permission.ORDERS_CREATE)
    async def order_again(self) -> None:
        self.done, self.problem, self.changes = "", "", []
        actor = self._actor()
        try:
            result = await in_transaction(
                reorder, actor, order_id=self._query_id("order_id"), erp=erp_client()
            )
        except ServiceError as error:
            self.problem = " ".join(field_errors(error, self.lang).values())
            return
        key = "reorder.added" if result.added else "reorder.nothing_added"
        self.done = self._t(key, count=result.added)
        self.changes = [change_text(c, self.lang, result.currency) for c in result.changes]
        badge = await self.get_state(CartBadgeState)
        await badge._recount(actor)
