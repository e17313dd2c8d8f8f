"""The search in the header: what a term finds (orders, products, users), and Enter jumps to
the first hit. The service scopes every kind by the actor's company and rights; the links
are made here from its keys, never taken from the browser."""

from __future__ import annotations

import reflex as rx

from customer_center.domain.errors import ServiceError
from customer_center.presenters.search import hit_row
from customer_center.services import search
from customer_center.services.wiring import erp_client
from customer_center.state.access import signed_in
from customer_center.state.base import PortalState, in_transaction


class GlobalSearchState(PortalState):
    term: str = ""
    hits: list[dict[str, str]] = []
    searched: bool = False  # a term long enough was looked up: "nothing found" may show
    problem: str = ""

    @signed_in
    async def find(self, value: str) -> None:
        await self._find(value)

    async def _find(self, value: object) -> None:
        self.term = value[: search.TERM_MAX] if isinstance(value, str) else ""
        self.problem = ""
        if len(self.term.strip()) < search.TERM_MIN:
            self.hits, self.searched = [], False
            return
        try:
            result = await in_transaction(
                search.search, self._actor(), term=self.term, erp=erp_client()
            )
        except ServiceError as error:
            self.hits, self.searched, self.problem = [], True, self._t(error.code)
            return
        self.hits = [hit_row(hit, self.lang) for hit in result.hits]
        self.searched = True
        if result.catalogue_unavailable:
            self.problem = self._t("shop.error.erp_unavailable")

    @signed_in
    async def go(self, form: dict) -> object:
        """Enter in the field: search now (the typed term may not have been sent yet) and
        open the first hit."""
        value = form.get("q", "") if isinstance(form, dict) else ""
        await self._find(value)
        if not self.hits:
            return None
        target = self.hits[0]["href"]
        self.hits, self.searched, self.term = [], False, ""
        return rx.redirect(target)

    @signed_in
    def close(self) -> None:
        self.hits, self.searched = [], False
