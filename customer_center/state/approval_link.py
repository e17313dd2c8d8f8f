"""/approve?token=…: decide an order from the approval e-mail, signed in, with one click."""

from __future__ import annotations

from reflex.event import EventCallback

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.i18n.wording import money
from customer_center.presenters.breaches import breach_lines
from customer_center.services.orders import approval_links
from customer_center.settings import get_settings
from customer_center.state.access import requires
from customer_center.state.approvals import ApprovalsBadgeState
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

DECIDE = Permission.APPROVALS_DECIDE


class ApprovalLinkState(PortalState):
    summary: str = ""
    reasons: list[str] = []
    order_href: str = ""
    problem: str = ""
    done_text: str = ""
    errors: dict[str, str] = {}
    _token: str = ""
    _version: int = 0

    @requires(DECIDE)
    async def load(self) -> None:
        self.summary, self.reasons, self.problem, self.done_text, self.errors = "", [], "", "", {}
        self._token = self._query("token")[:100]
        try:
            linked = await in_transaction(approval_links.open_link, self._actor(), raw=self._token)
        except ServiceError as error:
            self.problem = self._t(error.code, **error.params)
            return
        order = linked.detail
        self._version = order.version
        self.order_href = routes.order_path(order.id)
        self.summary = self._t(
            "approval_link.summary",
            requester=order.requester,
            number=order.number,
            total=money(order.total_cents, order.currency, self.lang),
        )
        self.reasons = breach_lines(order.reasons, self.lang, order.currency)

    @requires(DECIDE)
    async def decide(self, form: dict) -> EventCallback[()] | None:
        self.errors = {}
        decision = text_field(form, "decision", 10)
        try:
            status = await in_transaction(
                approval_links.decide_by_link,
                self._actor(),
                settings=get_settings(),
                raw=self._token,
                decision=decision,
                seen_version=self._version,
                comment=text_field(form, "comment", 2000),
            )
        except ServiceError as error:
            self.errors = field_errors(error, self.lang)
            return None
        self.done_text = self._t(
            f"approval_link.done.{decision}", status=self._t(f"orders.status.{status}")
        )
        return ApprovalsBadgeState.refresh  # one order fewer waiting
