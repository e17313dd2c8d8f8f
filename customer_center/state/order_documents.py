"""The documents of one order on its page (/orders/<id>): the ERP's documents of the order
that the reader may see, as display strings and download links."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.presenters.documents import document_rows
from customer_center.services.documents import documents
from customer_center.services.wiring import erp_client
from customer_center.state.access import signed_in
from customer_center.state.base import PortalState, in_transaction


class OrderDocumentsState(PortalState):
    may_view: bool = False
    rows: list[dict[str, str]] = []

    @signed_in
    async def load(self) -> None:
        """The order is found again within the reader's company and visibility rules; an
        order the reader may not see shows no documents (the order page says why)."""
        self.rows = []
        self.may_view = self._may(Permission.DOCUMENTS_VIEW)
        order_id = self._query_id("order_id")
        if not self.may_view or order_id is None:
            return
        try:
            found = await in_transaction(
                documents.order_documents, self._actor(), erp=erp_client(), order_id=order_id
            )
        except ServiceError:
            return
        self.rows = document_rows(found, self.lang)
