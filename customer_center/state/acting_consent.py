"""``/seller-access/consent``: a user answers the seller's agents' requests to act for them
(the user themself only: an agent acting for the user is refused by ``@own_account``)."""

from __future__ import annotations

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import parse_id
from customer_center.i18n.formatting import format_moment
from customer_center.services.seller import acting_consent
from customer_center.settings import get_settings
from customer_center.state.access import own_account
from customer_center.state.base import PortalState, field_errors, in_transaction


class ConsentState(PortalState):
    requests: list[dict[str, str]] = []
    loaded: bool = False
    notice: str = ""
    error: str = ""

    @own_account
    async def load(self) -> None:
        self.notice, self.error = "", ""
        await self._refresh()

    async def _refresh(self) -> None:
        rows = await in_transaction(acting_consent.open_requests, self._actor())
        seller = get_settings().seller_name
        self.requests = [
            {
                "id": str(row.request_id),
                "state": row.state,
                "text": self._t(
                    f"acting.consent.{row.state}",
                    agent=row.agent_name,
                    seller=seller,
                    when=format_moment(row.requested_at, self.lang),
                    until=format_moment(row.valid_until, self.lang) if row.valid_until else "",
                ),
            }
            for row in rows
        ]
        self.loaded = True

    async def _answer(self, request_id: str, *, accept: bool) -> None:
        self.notice, self.error = "", ""
        try:
            await in_transaction(
                acting_consent.answer_request,
                self._actor(),
                request_id=parse_id(request_id),
                accept=accept,
            )
        except ServiceError as error:
            self.error = field_errors(error, self.lang).get("", "")
            return
        self.notice = self._t(
            "acting.consent.accepted_notice" if accept else "acting.consent.declined_notice"
        )
        await self._refresh()

    @own_account
    async def accept(self, request_id: str) -> None:
        await self._answer(request_id, accept=True)

    @own_account
    async def decline(self, request_id: str) -> None:
        await self._answer(request_id, accept=False)
