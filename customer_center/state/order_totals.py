"""The invoice totals of one order on its page (/orders/<id>): goods, shipping for the
order's method, VAT at the ERP's rate for the company, gross; display strings only."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.presenters.invoice_totals import totals_rows
from customer_center.services.shop import invoice_preview
from customer_center.services.wiring import erp_client
from customer_center.state.access import signed_in
from customer_center.state.base import PortalState, in_transaction


class OrderTotalsState(PortalState):
    rows: list[dict[str, str]] = []

    @signed_in
    async def load(self) -> None:
        """The order is found again within the reader's company and visibility rules."""
        self.rows = []
        order_id = self._query_id("order_id")
        if order_id is None:
            return
        try:
            found = await in_transaction(
                invoice_preview.order_totals, self._actor(), erp=erp_client(), order_id=order_id
            )
        except ServiceError:
            return
        if found is not None:
            self.rows = totals_rows(found.totals, found.shipping_method, self.lang)
