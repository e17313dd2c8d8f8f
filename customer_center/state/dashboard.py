"""The dashboard's own view: the company's account team at the seller, when it has one."""

from __future__ import annotations

from customer_center.presenters.staff import team_rows
from customer_center.services.seller import acting_consent
from customer_center.services.seller.teams import team_of
from customer_center.settings import get_settings
from customer_center.state.access import signed_in
from customer_center.state.base import PortalState, in_transaction


class DashboardState(PortalState):
    team: list[dict[str, str]] = []
    seller_name: str = ""
    consent_requests: int = 0  # the seller's agents' requests to act for the user, unanswered

    @signed_in
    async def load(self) -> None:
        actor = self._actor()
        members = await in_transaction(team_of, actor.company_id)
        self.seller_name = get_settings().seller_name
        self.team = team_rows(members, self.lang)
        self.consent_requests = await in_transaction(acting_consent.pending_count, actor)
