"""Orders as rules: checking a checkout, the status machine, the difference between revisions.

Pure: no database, no Reflex. Money is in cents of the order's currency. Messages are ids
(``orders.error.*``) that the services hand on in ``ValidationFailed``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from customer_center.domain.budgets import LimitBreach
from customer_center.domain.inputs import MAX_LINE_QUANTITY, parse_id
from customer_center.domain.order_states import OrderStatus

PAYMENT_METHODS: tuple[str, ...] = ("invoice", "direct_debit", "credit_card", "prepayment")
SHIPPING_METHODS: tuple[str, ...] = ("standard", "express", "freight", "pickup")
ADDRESS_FIELDS: tuple[str, ...] = ("name", "street", "postal_code", "city", "country")
ADDRESS_LIMITS: dict[str, int] = {
    "name": 200,
    "street": 200,
    "postal_code": 20,
    "city": 100,
    "country": 2,
}
MAX_LINES = 200
REFERENCE_MAX = 100
COMMENT_MAX = 2000
SKU_MAX = 64

Errors = dict[str, tuple[str, dict[str, object]]]


class HasId(Protocol):
    id: int | None


def order_number(order: HasId) -> str:
    """The number users see and quote: ``PO-000042``."""
    return f"PO-{order.id or 0:06d}"


def number_of(order_id: int) -> str:
    """:func:`order_number` of an order known by its id."""
    return f"PO-{order_id:06d}"


def parse_order_number(text: str) -> int | None:
    """The order id in a number as users quote it (``PO-000042``, ``po-42``); else ``None``."""
    value = text.strip().upper()
    if not value.startswith("PO-"):
        return None
    return parse_id(value[3:].lstrip("0") or "x")


def mail_ref(order_id: int) -> str:
    """What the outbox notes on every e-mail about an order (``OutboxMessage.refers_to``)."""
    return f"order:{order_id}"


def price_cents(price: Decimal) -> int:
    """A unit price from the ERP in cents, half up (ERP prices have two decimals anyway)."""
    return int((price * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- checkout ----------------------------------------------------------------------------


def clean_address(address: object) -> dict[str, str]:
    """The five address fields, stripped; anything else the client sent is dropped."""
    source = address if isinstance(address, Mapping) else {}
    cleaned = {}
    for name in ADDRESS_FIELDS:
        value = source.get(name, "")
        cleaned[name] = value.strip() if isinstance(value, str) else ""
    cleaned["country"] = cleaned["country"].upper()
    return cleaned


def address_errors(prefix: str, address: Mapping[str, str]) -> Errors:
    """Required fields, lengths, a two-letter country code; keyed ``<prefix>.<field>``."""
    errors: Errors = {}
    for name in ADDRESS_FIELDS:
        value = address.get(name, "")
        key = f"{prefix}.{name}"
        if not value:
            errors[key] = ("form.required", {})
        elif len(value) > ADDRESS_LIMITS[name]:
            errors[key] = ("form.too_long", {"max": ADDRESS_LIMITS[name]})
    country = address.get("country", "")
    if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
        errors[f"{prefix}.country"] = ("orders.error.country", {})
    return errors


def quantity_error(quantity: object) -> str | None:
    """Why ``quantity`` cannot be ordered, as a message id; ``None`` if it can."""
    if type(quantity) is not int or quantity < 1:
        return "orders.error.quantity"
    if quantity > MAX_LINE_QUANTITY:
        return "orders.error.quantity_too_large"
    return None


def merge_lines(lines: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """SKUs in canonical form (stripped, upper case), the same SKU twice summed, order kept."""
    merged: dict[str, int] = {}
    for sku, quantity in lines:
        key = sku.strip().upper()
        merged[key] = merged.get(key, 0) + quantity
    return list(merged.items())


def lines_errors(lines: Sequence[tuple[object, object]]) -> Errors:
    if not lines:
        return {"lines": ("orders.error.no_lines", {})}
    if len(lines) > MAX_LINES:
        return {"lines": ("orders.error.too_many_lines", {"max": MAX_LINES})}
    for index, (sku, quantity) in enumerate(lines):
        if not isinstance(sku, str) or not sku.strip() or len(sku.strip()) > SKU_MAX:
            return {"lines": ("orders.error.sku", {})}
        problem = quantity_error(quantity)
        if problem:
            return {f"lines.{index}": (problem, {"max": MAX_LINE_QUANTITY})}
    return {}


def checkout_errors(
    lines: Sequence[tuple[object, object]],
    delivery_address: Mapping[str, str],
    billing_address: Mapping[str, str],
    payment_method: object,
    shipping_method: object,
    reference: object,
    comment: object,
) -> Errors:
    """Everything wrong with a checkout, keyed by field name (``delivery_address.street``)."""
    errors = lines_errors(lines)
    errors.update(address_errors("delivery_address", delivery_address))
    errors.update(address_errors("billing_address", billing_address))
    if payment_method not in PAYMENT_METHODS:
        errors["payment_method"] = ("orders.error.payment_method", {})
    if shipping_method not in SHIPPING_METHODS:
        errors["shipping_method"] = ("orders.error.shipping_method", {})
    if not isinstance(reference, str) or len(reference.strip()) > REFERENCE_MAX:
        errors["reference"] = ("form.too_long", {"max": REFERENCE_MAX})
    if not isinstance(comment, str) or len(comment.strip()) > COMMENT_MAX:
        errors["comment"] = ("form.too_long", {"max": COMMENT_MAX})
    return errors


# --- the status machine ------------------------------------------------------------------

# Before and at approval. The journey after it (sent to the ERP, confirmed, shipped, ...)
# follows the ERP's reports: see customer_center.domain.order_journey.
_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.DRAFT: frozenset(
        {OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED, OrderStatus.CANCELLED}
    ),
    # A change by an approver keeps the order pending (a new revision).
    OrderStatus.PENDING_APPROVAL: frozenset(
        {
            OrderStatus.PENDING_APPROVAL,
            OrderStatus.APPROVED,
            OrderStatus.REJECTED,
            OrderStatus.CANCELLED,
        }
    ),
    # After a rejection the requester resubmits (maybe approved at once) or cancels.
    OrderStatus.REJECTED: frozenset(
        {OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED, OrderStatus.CANCELLED}
    ),
    OrderStatus.APPROVED: frozenset({OrderStatus.SENT_TO_ERP}),
}
ALL_STATUSES: tuple[str, ...] = (
    OrderStatus.DRAFT,
    OrderStatus.PENDING_APPROVAL,
    OrderStatus.REJECTED,
    OrderStatus.APPROVED,
    OrderStatus.SENT_TO_ERP,
    OrderStatus.CONFIRMED,
    OrderStatus.PICKED,
    OrderStatus.PARTIALLY_SHIPPED,
    OrderStatus.SHIPPED,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
    OrderStatus.RETURNED,
)


def can_transition(current: str, new: str) -> bool:
    """May an order in status ``current`` be moved to ``new`` by the portal's own flow
    (submission, decisions, resubmission, cancellation, hand-off to the ERP)?"""
    return new in _TRANSITIONS.get(current, frozenset())


def is_open(status: str) -> bool:
    """Still being decided: changes and decisions are possible."""
    return status in (OrderStatus.PENDING_APPROVAL, OrderStatus.REJECTED)


def may_write(status: str) -> bool:
    """The conversation stays open once the order was placed, also after the hand-off to
    the seller: colleagues keep writing about it (delivery, returns)."""
    return status != OrderStatus.DRAFT


# --- revisions and their difference ------------------------------------------------------


@dataclass(frozen=True)
class LineSnapshot:
    sku: str
    name: str
    quantity: int
    unit_price_cents: int

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class Revision:
    """What one revision of an order consists of, as the diff compares it."""

    lines: tuple[LineSnapshot, ...]
    header: dict[str, Any] = field(default_factory=dict)

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


# Header fields a revision may change, in the order the diff lists them.
HEADER_FIELDS: tuple[str, ...] = (
    "delivery_address",
    "billing_address",
    "shipping_method",
    "payment_method",
    "reference",
)


@dataclass(frozen=True)
class Difference:
    """One difference between two revisions.

    ``kind``: ``quantity`` (``before``/``after`` quantities), ``removed``, ``added`` (the
    line's quantity), ``price`` (unit prices in cents), ``total`` (cents), or a header field
    name (its values before and after).
    """

    kind: str
    sku: str = ""
    name: str = ""
    before: Any = None
    after: Any = None


def difference_of(data: Mapping[str, Any]) -> Difference:
    """A difference as stored in an event's data (see :func:`difference_data`)."""
    return Difference(
        kind=str(data.get("kind") or ""),
        sku=str(data.get("sku") or ""),
        name=str(data.get("name") or ""),
        before=data.get("before"),
        after=data.get("after"),
    )


def difference_data(difference: Difference) -> dict[str, Any]:
    """A difference as an event's data stores it."""
    return {
        "kind": difference.kind,
        "sku": difference.sku,
        "name": difference.name,
        "before": difference.before,
        "after": difference.after,
    }


def revision_diff(old: Revision, new: Revision) -> list[Difference]:
    """Line changes by SKU in the old revision's order, then added lines, header fields, and
    the total if it moved."""
    found: list[Difference] = []
    new_by_sku = {line.sku: line for line in new.lines}
    old_skus = {line.sku for line in old.lines}
    for line in old.lines:
        after = new_by_sku.get(line.sku)
        if after is None:
            found.append(Difference("removed", line.sku, line.name, line.quantity, 0))
            continue
        if after.quantity != line.quantity:
            found.append(Difference("quantity", line.sku, line.name, line.quantity, after.quantity))
        if after.unit_price_cents != line.unit_price_cents:
            found.append(
                Difference(
                    "price", line.sku, line.name, line.unit_price_cents, after.unit_price_cents
                )
            )
    for line in new.lines:
        if line.sku not in old_skus:
            found.append(Difference("added", line.sku, line.name, 0, line.quantity))
    for name in HEADER_FIELDS:
        before, after = old.header.get(name), new.header.get(name)
        if before != after:
            found.append(Difference(name, before=before, after=after))
    if old.total_cents != new.total_cents:
        found.append(Difference("total", before=old.total_cents, after=new.total_cents))
    return found


def apply_line_changes(
    lines: Sequence[LineSnapshot], quantities: Mapping[str, int], removed: set[str]
) -> tuple[LineSnapshot, ...]:
    """The lines with new quantities (by SKU) and without the removed SKUs; prices stay."""
    return tuple(
        LineSnapshot(
            line.sku, line.name, quantities.get(line.sku, line.quantity), line.unit_price_cents
        )
        for line in lines
        if line.sku not in removed
    )


def change_errors(
    lines: Sequence[LineSnapshot], quantities: Mapping[str, object], removed: set[str]
) -> Errors:
    """A change must name only lines of the order, keep valid quantities and one line."""
    skus = {line.sku for line in lines}
    errors: Errors = {}
    if any(sku not in skus for sku in [*quantities, *removed]):
        return {"lines": ("orders.error.unknown_line", {})}
    for sku, quantity in quantities.items():
        if sku in removed:
            continue
        problem = quantity_error(quantity)
        if problem:
            errors[f"quantity.{sku}"] = (problem, {"max": MAX_LINE_QUANTITY})
    if skus and skus <= removed:
        errors["lines"] = ("orders.error.remove_all", {})
    return errors


# --- the timeline ------------------------------------------------------------------------


def breach_data(breach: LimitBreach) -> dict[str, Any]:
    """A budget breach as stored in an event's data, so it can be worded in any language."""
    return {
        "kind": breach.kind,
        "actual": breach.actual,
        "limit": breach.limit,
        "already_used": breach.already_used,
        "period": breach.period,
    }


def breach_of(data: Mapping[str, Any]) -> LimitBreach | None:
    """A stored breach (see :func:`breach_data`); None if the record is damaged."""
    try:
        return LimitBreach(
            str(data["kind"]),
            int(data["actual"]),
            int(data["limit"]),
            int(data.get("already_used") or 0),
            data.get("period"),
        )
    except (KeyError, TypeError, ValueError):
        return None
