"""One order for its requester, its approvers and those who may see every order.

The order id comes from the route and is checked by the service against the viewer; the
version the viewer saw stays on the server (``_version``) and goes with every decision, so
a decision on an order that changed meanwhile is refused and the fresh order is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_LINE_QUANTITY, parse_quantity
from customer_center.domain.orders import ADDRESS_FIELDS, SHIPPING_METHODS
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day, format_moment
from customer_center.i18n.wording import money
from customer_center.presenters import journey, orders
from customer_center.presenters.breaches import breach_lines
from customer_center.presenters.budgets import limits_summary
from customer_center.presenters.timeline import timeline_rows
from customer_center.services.orders import conversation, decisions, revisions, unread
from customer_center.services.orders.detail import OrderDetail, order_detail
from customer_center.services.orders.inbox import waiting_count
from customer_center.services.orders.revisions import OrderChange
from customer_center.settings import get_settings
from customer_center.state.access import acting_principal, requires, signed_in
from customer_center.state.approvals import ApprovalsBadgeState
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

DECIDE = Permission.APPROVALS_DECIDE


def _read(session: Session, actor: CustomerUser, *, order_id: int, mark_read: bool) -> OrderDetail:
    """The order page's reading: the order, and its conversation marked as read."""
    detail = order_detail(session, actor, order_id=order_id)
    if mark_read:
        unread.mark_read(session, actor, order_id=order_id)
    return detail


@dataclass(frozen=True)
class _After:
    detail: OrderDetail | ServiceError  # the order as it is now, or why it cannot be shown
    waiting: int | None  # the navigation's count of waiting approvals, after a decision


def _act_then_read(
    session: Session,
    actor: CustomerUser,
    service: Callable[..., object],
    order_id: int,
    decision: bool,
    kwargs: dict[str, Any],
) -> _After:
    """One transaction for what a click on the order does and what it shows next: a
    refusal of the reading (the order is out of sight now) keeps what the click did."""
    service(session, actor, order_id=order_id, **kwargs)
    try:
        detail: OrderDetail | ServiceError = order_detail(session, actor, order_id=order_id)
    except ServiceError as error:
        detail = error
    return _After(detail, waiting_count(session, actor) if decision else None)


class OrderViewState(PortalState):
    found: bool = False
    loaded: bool = False
    problem: str = ""
    notice: str = ""
    conflict: str = ""
    errors: dict[str, str] = {}
    decision_comment: str = ""

    number: str = ""
    status: str = ""
    status_label: str = ""
    status_color: str = "gray"
    requester: str = ""
    submitted: str = ""
    total: str = ""
    total_quantity: str = ""
    reference: str = ""
    reference_label: str = ""  # "Your reference" for the requester, whose it is otherwise
    payment: str = ""
    shipping: str = ""
    erp_number: str = ""
    delivery_lines: list[str] = []
    billing_lines: list[str] = []
    lines: list[dict[str, str]] = []
    reasons: list[str] = []  # why it waits; only while it waits
    state_note: str = ""  # what became of it, once it no longer waits
    budget_lines: list[str] = []
    budget_period: str = ""
    chain: list[dict[str, str]] = []
    chain_members: list[dict[str, str]] = []
    revisions: list[dict[str, str]] = []
    revision_changes: list[dict[str, str]] = []
    timeline: list[dict[str, str]] = []
    steps: list[dict[str, str]] = []  # the stepper: placed … delivered, with the ERP's times
    shipments: list[dict[str, str]] = []
    shipment_lines: list[dict[str, str]] = []
    can_decide: bool = False
    can_resubmit: bool = False
    can_cancel: bool = False
    can_comment: bool = False
    is_requester: bool = False
    ask_href: str = ""  # "Ask about this order": a new support case linked to it
    # "Return items", "Request a credit": a delivered order, a user with returns.request
    return_href: str = ""
    credit_href: str = ""

    # Change (approver) or resubmission (requester after a rejection).
    editing: str = ""  # "" | "change" | "resubmit"
    edit_quantities: dict[str, str] = {}
    edit_removed: list[str] = []
    edit_shipping: str = ""
    edit_address: dict[str, str] = {}
    shipping_options: list[dict[str, str]] = []

    _order_id: int = 0
    _version: int = 0
    _skus: list[str] = []

    # --- loading ---------------------------------------------------------------------

    async def _reload(self, *, mark_read: bool = False) -> None:
        try:
            detail = await in_transaction(
                _read, self._actor(), order_id=self._order_id, mark_read=mark_read
            )
        except ServiceError as error:
            self._not_shown(error)
            return
        self._show(detail)

    def _not_shown(self, error: ServiceError) -> None:
        self.found, self.loaded = False, True
        self.problem = self._t(error.code)

    def _show(self, d: OrderDetail) -> None:
        lang, currency = self.lang, d.currency
        self.found, self.loaded, self.problem = True, True, ""
        self._version, self._skus = d.version, [line.sku for line in d.lines]
        self.number, self.status = d.number, d.status
        self.ask_href = routes.case_new_path(self._order_id)
        returnable = d.status == "delivered" and self._may(Permission.RETURNS_REQUEST)
        self.return_href = routes.return_new_path(self._order_id, "goods") if returnable else ""
        self.credit_href = routes.return_new_path(self._order_id, "credit") if returnable else ""
        self.status_label = orders.status_label(d.status, lang)
        self.status_color = orders.status_color(d.status)
        self.requester = d.requester
        self.submitted = format_moment(d.submitted_at, lang) if d.submitted_at else ""
        self.total = money(d.total_cents, currency, lang)
        self.total_quantity = str(d.total_quantity)
        self.reference = d.reference
        self.reference_label = (
            translate(lang, "approvals.field.reference")
            if d.is_requester
            else translate(lang, "order_fields.reference_by", name=d.requester)
        )
        self.payment = translate(lang, f"orders.payment.{d.payment_method}")
        self.shipping = translate(lang, f"orders.shipping.{d.shipping_method}")
        self.erp_number = d.erp_order_number
        self.delivery_lines = orders.address_lines(d.delivery_address)
        self.billing_lines = orders.address_lines(d.billing_address)
        self.lines = orders.line_rows(d, lang)
        self.reasons = breach_lines(d.reasons, lang, currency)
        self.state_note = orders.state_note(d.status, lang)
        self._show_budget(d)
        self.chain = orders.chain_rows(d, lang)
        self.chain_members = orders.chain_member_rows(d, lang)
        self.revisions = orders.revision_rows(d, lang)
        self.revision_changes = orders.revision_changes(d, lang)
        self.timeline = timeline_rows(d.timeline, lang, currency)
        self.steps = journey.step_rows(d.journey, lang)
        self.shipments = journey.shipment_rows(
            d.journey, lang, get_settings().carrier_tracking_urls
        )
        self.shipment_lines = journey.shipment_line_rows(
            d.journey, {line.sku: line.name for line in d.lines}, lang
        )
        self.can_decide, self.can_resubmit = d.can_decide, d.can_resubmit
        self.can_cancel, self.can_comment = d.can_cancel, d.can_comment
        self.is_requester = d.is_requester
        self.shipping_options = orders.shipping_options(lang)
        self._reset_edit(d)

    def _show_budget(self, d: OrderDetail) -> None:
        self.budget_lines, self.budget_period = [], ""
        situation = d.budget
        if situation is None:
            return
        lang, currency = self.lang, situation.currency
        self.budget_lines = limits_summary(situation.limits, currency, lang)
        if situation.limits.period_budget_cents is not None and situation.period_start:
            self.budget_period = translate(
                lang,
                "approvals.budget.period",
                start=format_day(situation.period_start, lang),
                spent=money(situation.spending.spent_cents, currency, lang),
                reserved=money(situation.spending.reserved_cents, currency, lang),
                remaining=money(situation.remaining_cents or 0, currency, lang),
            )

    def _reset_edit(self, d: OrderDetail | None = None) -> None:
        self.editing, self.errors = "", {}
        self.edit_quantities = {line["sku"]: line["quantity"] for line in self.lines}
        self.edit_removed = []
        if d is not None:
            self.edit_shipping = d.shipping_method
            self.edit_address = {k: d.delivery_address.get(k, "") for k in ADDRESS_FIELDS}

    @signed_in
    async def load(self) -> None:
        self.notice, self.conflict, self.problem, self.loaded = "", "", "", False
        self.decision_comment = ""
        self._order_id = self._query_id("order_id") or 0
        # An agent reading reads nothing for the user.
        await self._reload(mark_read=acting_principal() is None)

    # --- running a decision ------------------------------------------------------------

    async def _run(
        self,
        service: Callable[..., object],
        *,
        done_key: str,
        decision: bool = False,
        **kwargs: object,
    ) -> bool:
        """Call ``service`` on this order at the version shown and read the order again in
        the same transaction (for a ``decision``, the navigation's count too); a stale
        version shows the fresh order with a message, other refusals show next to their
        fields."""
        self.errors, self.notice, self.conflict = {}, "", ""
        try:
            after = await in_transaction(
                _act_then_read, self._actor(), service, self._order_id, decision, kwargs
            )
        except ServiceError as error:
            if error.code == "orders.error.stale":
                await self._reload()
                self.conflict = self._t(error.code)
            else:
                self.errors = field_errors(error, self.lang)
            return False
        if isinstance(after.detail, ServiceError):
            self._not_shown(after.detail)
        else:
            self._show(after.detail)
        if after.waiting is not None:
            (await self.get_state(ApprovalsBadgeState)).waiting = after.waiting
        self.notice = self._t(done_key)
        return True

    @signed_in
    def set_decision_comment(self, value: str) -> None:
        """The comment box of the decision (and of a cancellation), read on blur."""
        self.decision_comment = value[:2100] if isinstance(value, str) else ""

    @requires(DECIDE)
    async def approve(self) -> None:
        if self.editing:  # the change form is open: save or discard it first
            return
        if await self._run(
            decisions.approve,
            settings=get_settings(),
            seen_version=self._version,
            comment=self.decision_comment,
            done_key="approvals.done.approved",
            decision=True,
        ):
            self.decision_comment = ""

    @requires(DECIDE)
    async def reject(self) -> None:
        if self.editing:
            return
        if await self._run(
            decisions.reject,
            settings=get_settings(),
            seen_version=self._version,
            comment=self.decision_comment,
            done_key="approvals.done.rejected",
            decision=True,
        ):
            self.decision_comment = ""

    @signed_in
    async def cancel_order(self) -> None:
        if await self._run(
            decisions.cancel,
            seen_version=self._version,
            comment=self.decision_comment,
            done_key="approvals.done.cancelled",
        ):
            self.decision_comment = ""

    @signed_in
    async def add_comment(self, form: dict) -> None:
        """A message in the conversation; its problems show under the message box."""
        if (
            not await self._run(
                conversation.add_comment,
                settings=get_settings(),
                text=text_field(form, "message", 2100),
                done_key="approvals.done.commented",
            )
            and "comment" in self.errors
        ):
            self.errors = {"message": self.errors["comment"]}

    # --- editing a change or a resubmission --------------------------------------------

    @signed_in
    def start_edit(self, mode: str) -> None:
        allowed = {"change": self.can_decide, "resubmit": self.can_resubmit}
        if isinstance(mode, str) and allowed.get(mode):
            self.editing, self.errors, self.notice, self.conflict = mode, {}, "", ""

    @signed_in
    def stop_edit(self) -> None:
        self.editing, self.errors = "", {}
        self.edit_quantities = {line["sku"]: line["quantity"] for line in self.lines}
        self.edit_removed = []

    @signed_in
    def set_quantity(self, sku: str, value: str) -> None:
        if sku in self._skus and isinstance(value, str):
            self.edit_quantities = {**self.edit_quantities, sku: value.strip()[:12]}

    @signed_in
    def toggle_remove(self, sku: str) -> None:
        if sku not in self._skus:
            return
        removed = set(self.edit_removed)
        removed ^= {sku}
        self.edit_removed = [s for s in self._skus if s in removed]

    @signed_in
    def set_shipping(self, value: str) -> None:
        if value in SHIPPING_METHODS:
            self.edit_shipping = value

    def _change(self, form: object, with_header: bool) -> OrderChange | None:
        quantities: dict[str, int] = {}
        errors = {}
        for sku in self._skus:
            text = self.edit_quantities.get(sku, "")
            if sku in self.edit_removed:
                continue
            quantity = parse_quantity(text)
            if quantity is None:
                errors[f"quantity.{sku}"] = translate(
                    self.lang, "orders.error.quantity", max=MAX_LINE_QUANTITY
                )
                continue
            quantities[sku] = quantity
        if errors:
            self.errors = errors
            return None
        address = None
        if with_header:
            address = {name: text_field(form, f"address_{name}", 300) for name in ADDRESS_FIELDS}
        return OrderChange(
            quantities=quantities,
            removed=frozenset(self.edit_removed),
            delivery_address=address,
            shipping_method=self.edit_shipping if with_header else None,
            comment=text_field(form, "comment", 2100),
        )

    @requires(DECIDE)
    async def save_change(self, form: dict) -> None:
        change = self._change(form, with_header=True)
        if change is not None:
            await self._run(
                revisions.change_order,
                settings=get_settings(),
                seen_version=self._version,
                change=change,
                done_key="approvals.done.changed",
            )

    @requires(Permission.ORDERS_CREATE)
    async def resubmit(self, form: dict) -> None:
        change = self._change(form, with_header=False)
        if change is not None:
            await self._run(
                revisions.resubmit,
                settings=get_settings(),
                seen_version=self._version,
                change=change,
                done_key="approvals.done.resubmitted",
            )
