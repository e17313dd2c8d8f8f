"""One order for its requester, its approvers and those who may see every order.

The order id comes from the route and is checked by the service against the viewer; the
version the viewer saw stays on the server (``_version``) and goes with every decision, so
a decision on an order that changed meanwhile is refused and the fresh order is shown.
"""

from __future__ import annotations

from customer_center.domain.budgets import money
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_LINE_QUANTITY, parse_quantity
from customer_center.domain.orders import ADDRESS_FIELDS, SHIPPING_METHODS
from customer_center.domain.permissions import Permission
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day, format_moment
from customer_center.presenters.budgets import limits_summary
from customer_center.services.orders import approvals
from customer_center.services.orders.approvals import OrderChange, OrderDetail
from customer_center.settings import get_settings
from customer_center.state.access import requires, signed_in
from customer_center.state.base import PortalState, field_errors, in_transaction, text_field

DECIDE = Permission.APPROVALS_DECIDE
STATUS_COLORS = {
    "pending_approval": "amber",
    "approved": "green",
    "rejected": "red",
    "cancelled": "gray",
    "sent_to_erp": "blue",
    "delivered": "green",
}


def _address_lines(address: dict[str, str]) -> list[str]:
    city = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
    lines = [address.get("name", ""), address.get("street", ""), city, address.get("country", "")]
    return [line for line in lines if line]


NOTED_STATES = ("approved", "rejected", "cancelled")


def state_note(status: str, lang: str) -> str:
    """A sentence on the state of an order that no longer waits for approval; none while
    it waits (the reasons say why) or before it was sent."""
    if status in ("pending_approval", "draft"):
        return ""
    if status in NOTED_STATES:
        return translate(lang, f"approvals.state.{status}")
    return translate(
        lang, "approvals.state.other", status=translate(lang, f"orders.status.{status}")
    )


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
    can_decide: bool = False
    can_resubmit: bool = False
    can_cancel: bool = False
    can_comment: bool = False
    is_requester: bool = False

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

    async def _reload(self) -> None:
        try:
            detail = await in_transaction(approvals.order_detail, self._actor(), self._order_id)
        except ServiceError as error:
            self.found, self.loaded = False, True
            self.problem = self._t(error.code)
            return
        self._show(detail)

    def _show(self, d: OrderDetail) -> None:
        lang, currency = self.lang, d.currency
        self.found, self.loaded, self.problem = True, True, ""
        self._version, self._skus = d.version, [line.sku for line in d.lines]
        self.number, self.status = d.number, d.status
        self.status_label = translate(lang, f"orders.status.{d.status}")
        self.status_color = STATUS_COLORS.get(d.status, "blue")
        self.requester = d.requester
        self.submitted = format_moment(d.submitted_at, lang) if d.submitted_at else ""
        self.total = money(d.total_cents, currency, lang)
        self.total_quantity = str(d.total_quantity)
        self.reference = d.reference
        self.payment = translate(lang, f"orders.payment.{d.payment_method}")
        self.shipping = translate(lang, f"orders.shipping.{d.shipping_method}")
        self.erp_number = d.erp_order_number
        self.delivery_lines = _address_lines(d.delivery_address)
        self.billing_lines = _address_lines(d.billing_address)
        self.lines = [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": str(line.quantity),
                "unit_price": money(line.unit_price_cents, currency, lang),
                "total": money(line.total_cents, currency, lang),
            }
            for line in d.lines
        ]
        self.reasons = [r for r in d.reasons if r]
        self.state_note = state_note(d.status, lang)
        self._show_budget(d)
        self._show_chain(d)
        self.revisions = [
            {
                "number": str(r.number),
                "title": translate(lang, f"approvals.revision.{r.reason}", number=r.number),
                "author": r.author,
                "when": format_moment(r.created_at, lang),
                "comment": r.comment,
                "total": money(r.total_cents, currency, lang),
            }
            for r in reversed(d.revisions)
        ]
        self.revision_changes = [
            {"revision": str(r.number), "text": text} for r in d.revisions for text in r.differences
        ]
        self.timeline = [
            {
                "kind": e.kind,
                "who": e.who,
                "when": format_moment(e.when, lang),
                "text": e.text,
                "body": e.body,
            }
            for e in d.timeline
        ]
        self.can_decide, self.can_resubmit = d.can_decide, d.can_resubmit
        self.can_cancel, self.can_comment = d.can_cancel, d.can_comment
        self.is_requester = d.is_requester
        self.shipping_options = [
            {"value": code, "label": translate(lang, f"orders.shipping.{code}")}
            for code in SHIPPING_METHODS
        ]
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

    def _show_chain(self, d: OrderDetail) -> None:
        lang = self.lang
        self.chain = [
            {
                "number": str(level.number),
                "label": translate(
                    lang,
                    "approvals.chain.level",
                    number=level.number,
                    rule=translate(lang, f"chains.rule.{level.rule}"),
                ),
                "current": "1" if level.current else "",
            }
            for level in d.chain
        ]
        members = []
        for level in d.chain:
            for m in level.members:
                state = translate(lang, f"approvals.step.{m.status}")
                if m.decided_by and m.decided_at:
                    state = translate(
                        lang,
                        "approvals.step.decided",
                        status=state,
                        name=m.decided_by,
                        when=format_moment(m.decided_at, lang),
                    )
                if m.decider:
                    state += " " + translate(lang, "approvals.step.decider", name=m.decider)
                members.append(
                    {
                        "level": str(level.number),
                        "name": m.approver,
                        "state": state,
                        "status": m.status,
                    }
                )
        self.chain_members = members

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
        await self._reload()

    # --- running a decision ------------------------------------------------------------

    async def _run(self, service, *args, done_key: str) -> bool:  # type: ignore[no-untyped-def]
        """Call ``service`` on this order at the version shown; a stale version shows the
        fresh order with a message, other refusals show next to their fields."""
        self.errors, self.notice, self.conflict = {}, "", ""
        try:
            await in_transaction(service, self._actor(), *args)
        except ServiceError as error:
            if error.code == "orders.error.stale":
                await self._reload()
                self.conflict = self._t(error.code)
            else:
                self.errors = field_errors(error, self.lang)
            return False
        await self._reload()
        self.notice = self._t(done_key)
        return True

    @signed_in
    def set_decision_comment(self, value: str) -> None:
        """The comment box of the decision (and of a cancellation), read on blur."""
        self.decision_comment = value[:2100] if isinstance(value, str) else ""

    @requires(DECIDE)
    async def approve(self) -> None:
        if await self._run(
            approvals.approve,
            get_settings(),
            self._order_id,
            self._version,
            self.decision_comment,
            done_key="approvals.done.approved",
        ):
            self.decision_comment = ""

    @requires(DECIDE)
    async def reject(self) -> None:
        if await self._run(
            approvals.reject,
            get_settings(),
            self._order_id,
            self._version,
            self.decision_comment,
            done_key="approvals.done.rejected",
        ):
            self.decision_comment = ""

    @signed_in
    async def cancel_order(self) -> None:
        if await self._run(
            approvals.cancel,
            self._order_id,
            self._version,
            self.decision_comment,
            done_key="approvals.done.cancelled",
        ):
            self.decision_comment = ""

    @signed_in
    async def add_comment(self, form: dict) -> None:
        """A message in the conversation; its problems show under the message box."""
        if (
            not await self._run(
                approvals.add_comment,
                self._order_id,
                text_field(form, "message", 2100),
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
                approvals.change_order,
                get_settings(),
                self._order_id,
                self._version,
                change,
                done_key="approvals.done.changed",
            )

    @requires(Permission.ORDERS_CREATE)
    async def resubmit(self, form: dict) -> None:
        change = self._change(form, with_header=False)
        if change is not None:
            await self._run(
                approvals.resubmit,
                get_settings(),
                self._order_id,
                self._version,
                change,
                done_key="approvals.done.resubmitted",
            )
