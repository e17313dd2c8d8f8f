"""/approve?token=…: decide an order from the approval e-mail, signed in, with one click."""

from __future__ import annotations

from reflex.event import EventCallback

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.permissions import Permission
from customer_center.i18n import translate
from customer_center.i18n.wording import money
from customer_center.presenters import orders
from customer_center.presenters.breaches import breach_lines
from customer_center.presenters.timeline import timeline_rows
from customer_center.services.orders import approval_links
from customer_center.services.orders.detail import OrderDetail
from customer_center.settings import get_settings
from customer_center.state.access import requires
from customer_center.state.approvals import ApprovalsBadgeState
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

DECIDE = Permission.APPROVALS_DECIDE


class ApprovalLinkState(PortalState):
    summary: str = ""
    reasons: list[str] = []
    # The order as the approver needs it to decide: lines, totals, addresses, the conversation.
    lines: list[dict[str, str]] = []
    total: str = ""
    total_quantity: str = ""
    reference_label: str = ""
    reference: str = ""
    shipping: str = ""
    payment: str = ""
    delivery_lines: list[str] = []
    billing_lines: list[str] = []
    conversation: list[dict[str, str]] = []
    order_href: str = ""
    problem: str = ""
    done_text: str = ""
    errors: dict[str, str] = {}
    _token: str = ""
    _version: int = 0

    @requires(DECIDE)
    async def load(self) -> None:
        self.summary, self.reasons, self.problem, self.done_text, self.errors = "", [], "", "", {}
        self.lines, self.conversation = [], []
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
        self._show_order(order)

    def _show_order(self, order: OrderDetail) -> None:
        lang = self.lang
        self.lines = orders.line_rows(order, lang)
        self.total = money(order.total_cents, order.currency, lang)
        self.total_quantity = str(order.total_quantity)
        self.reference = order.reference
        self.reference_label = translate(lang, "order_fields.reference_by", name=order.requester)
        self.shipping = translate(lang, f"orders.shipping.{order.shipping_method}")
        self.payment = translate(lang, f"orders.payment.{order.payment_method}")
        self.delivery_lines = orders.address_lines(order.delivery_address)
        self.billing_lines = orders.address_lines(order.billing_address)
        self.conversation = [
            row for row in timeline_rows(order.timeline, lang, order.currency) if row["body"] != ""
        ]

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
