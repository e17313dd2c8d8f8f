"""The company's documents from the ERP (/documents): filter by kind, date and order; one
page at a time, paged in SQL by the ERP. Rows are display strings and download links only."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import bounded_text
from customer_center.domain.permissions import Permission
from customer_center.presenters.documents import document_rows, kind_choices
from customer_center.services.documents import documents
from customer_center.services.documents.documents import PAGE_SIZE, DocumentQuery
from customer_center.services.wiring import erp_client
from customer_center.state.access import requires
from customer_center.state.base import PortalState, in_transaction
from customer_center.state.paging import page_turners

ALL = "all"
documents_view = requires(Permission.DOCUMENTS_VIEW)


class DocumentsState(PortalState):
    kind: str = ALL
    kinds: list[dict[str, str]] = []
    date_from: str = ""
    date_to: str = ""
    order: str = ""
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    page_count: int = 1
    more: bool = False  # counting stopped at the limit: there are more pages
    count_text: str = ""
    erp_down: bool = False
    error: str = ""

    async def _refresh(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            self.error = self._t("documents.error.date_range")
            self.rows, self.total, self.page_count = [], 0, 1
            return
        self.error = ""
        try:
            found = await in_transaction(
                documents.list_documents,
                self._actor(),
                erp=erp_client(),
                query=DocumentQuery(
                    kind="" if self.kind == ALL else self.kind,
                    issued_from=self.date_from,
                    issued_to=self.date_to,
                    order=self.order,
                ),
                offset=self.page * PAGE_SIZE,
            )
        except ServiceError:
            self.rows, self.total = [], 0
            return
        self.kinds = kind_choices(found.kinds, self.lang)
        self.rows = document_rows(found.rows, self.lang)
        self.total, self.erp_down, self.more = found.total, not found.erp_reachable, found.more
        self.page_count = max(1, -(-found.total // PAGE_SIZE)) + (1 if found.more else 0)
        self.count_text = self._t(
            "documents.count_more" if found.more else "documents.count", count=found.total
        )

    @documents_view
    async def load(self) -> None:
        """A filter may come in the address (``/documents?order=PO-000042``)."""
        self.kind, self.date_from, self.date_to, self.page = ALL, "", "", 0
        self.order = bounded_text(self._param("order"), 40)
        await self._refresh()

    @documents_view
    async def set_kind(self, value: str) -> None:
        allowed = {k["value"] for k in self.kinds}
        self.kind = value if isinstance(value, str) and value in allowed else ALL
        self.page = 0
        await self._refresh()

    @documents_view
    async def set_date_from(self, value: str) -> None:
        self.date_from, self.page = bounded_text(value, 10), 0
        await self._refresh()

    @documents_view
    async def set_date_to(self, value: str) -> None:
        self.date_to, self.page = bounded_text(value, 10), 0
        await self._refresh()

    @documents_view
    async def set_order(self, value: str) -> None:
        self.order, self.page = bounded_text(value, 40), 0
        await self._refresh()

    @documents_view
    async def reset_filters(self) -> None:
        self.kind, self.date_from, self.date_to, self.order, self.page = ALL, "", "", "", 0
        await self._refresh()

    next_page, previous_page = page_turners(documents_view)
