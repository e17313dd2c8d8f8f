"""The order's journey after approval: what the ERP may report and how the status moves.

The status machine (documented for the ERP in docs/erp-status-updates.md)::

    sent_to_erp -> confirmed -> picked -> partially_shipped -> shipped -> in_transit
                -> delivered -> returned
    cancelled: only while nothing has shipped (from sent_to_erp, confirmed or picked)
    returned:  only once something has shipped

The status moves only forward. An update that would move it back (a late "confirmed" after
"shipped") or that does not apply any more (a "cancelled" after shipping) is still recorded
in the order's timeline, it just leaves the status as it is. ``cancelled`` and ``returned``
end the journey. While only part of the order has shipped, "in transit" and "delivered"
concern that shipment: recorded, the status stays ``partially_shipped``.

Updates arrive as untrusted text (JSON over HTTP, CSV rows); :func:`parse_update` turns one
into a :class:`StatusUpdate` or names every wrong field with a message id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from customer_center.domain.inputs import parse_positive_int
from customer_center.domain.order_states import OrderStatus

# What the ERP may report (``partially_shipped`` is worked out from the shipped lines).
REPORTED_STATUSES: tuple[str, ...] = (
    OrderStatus.CONFIRMED,
    OrderStatus.PICKED,
    OrderStatus.SHIPPED,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
    OrderStatus.RETURNED,
)

# The forward order of the journey; cancelled stands apart.
JOURNEY: tuple[str, ...] = (
    OrderStatus.SENT_TO_ERP,
    OrderStatus.CONFIRMED,
    OrderStatus.PICKED,
    OrderStatus.PARTIALLY_SHIPPED,
    OrderStatus.SHIPPED,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
    OrderStatus.RETURNED,
)
_RANK = {status: rank for rank, status in enumerate(JOURNEY)}
FINAL_STATUSES = frozenset({OrderStatus.CANCELLED, OrderStatus.RETURNED})
# Statuses in which the ERP holds the order: updates are accepted for these.
ERP_STATUSES = frozenset(JOURNEY) | {OrderStatus.CANCELLED}

UPDATE_ID_MAX = 100
ORDER_NUMBER_MAX = 64
TEXT_MAX = 100
NOTE_MAX = 1000
SKU_MAX = 64
MAX_LINES = 500
MAX_QUANTITY = 10**9

Problems = dict[str, tuple[str, dict[str, object]]]


@dataclass(frozen=True)
class ShippedLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class StatusUpdate:
    """One status report of the ERP about one order, identified by ``update_id``."""

    update_id: str
    erp_order_number: str
    status: str
    occurred_at: datetime | None = None
    carrier: str = ""
    tracking_number: str = ""
    lines: tuple[ShippedLine, ...] = field(default_factory=tuple)
    note: str = ""


class InvalidUpdate(ValueError):
    """An update that cannot be used; ``problems`` maps field -> (message id, params)."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(", ".join(f"{name}: {code}" for name, (code, _) in problems.items()))
        self.problems = problems


def rank(status: str) -> int:
    """Position on the journey; -1 for statuses before it (approved) or off it (cancelled)."""
    return _RANK.get(status, -1)


def has_shipped(status: str) -> bool:
    return rank(status) >= rank(OrderStatus.PARTIALLY_SHIPPED)


def next_status(current: str, reported: str, fully_shipped: bool = True) -> str | None:
    """The status after the ERP reports ``reported``; ``None``: it stays (still recorded).

    ``fully_shipped`` says whether every line has shipped once this update counts (for
    ``shipped``: otherwise the order is ``partially_shipped``; for ``in_transit`` and
    ``delivered``: otherwise the report concerns a part and the status stays).
    """
    if current not in ERP_STATUSES or current in FINAL_STATUSES:
        return None
    if reported == OrderStatus.CANCELLED:
        return OrderStatus.CANCELLED if not has_shipped(current) else None
    if reported == OrderStatus.RETURNED:
        return OrderStatus.RETURNED if has_shipped(current) else None
    target = reported
    if reported == OrderStatus.SHIPPED and not fully_shipped:
        target = OrderStatus.PARTIALLY_SHIPPED
    elif reported in (OrderStatus.IN_TRANSIT, OrderStatus.DELIVERED) and not fully_shipped:
        return None
    if target not in _RANK:
        return None
    return target if rank(target) > rank(current) else None


def is_news_shipment(current: str, reported: str) -> bool:
    """A shipment the requester has not heard of: any shipment until all has shipped."""
    return reported == OrderStatus.SHIPPED and current in {
        OrderStatus.SENT_TO_ERP,
        OrderStatus.CONFIRMED,
        OrderStatus.PICKED,
        OrderStatus.PARTIALLY_SHIPPED,
    }


# --- parsing untrusted updates ---------------------------------------------------------------

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/#-]*$")


def _text(raw: Mapping[str, object], name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(name)
    return str(value).strip()


def parse_moment(text: str) -> datetime | None:
    """ISO 8601 date and time; without an offset it is read as UTC."""
    candidate = text.strip()
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _key(raw: Mapping[str, object], name: str, limit: int, problems: Problems) -> str:
    try:
        value = _text(raw, name)
    except TypeError:
        problems[name] = ("erp_status.error.not_text", {})
        return ""
    if not value:
        problems[name] = ("erp_status.error.required", {})
    elif len(value) > limit:
        problems[name] = ("erp_status.error.too_long", {"max": limit})
    elif not _KEY.match(value):
        problems[name] = ("erp_status.error.key_characters", {})
    return value


def _free_text(raw: Mapping[str, object], name: str, limit: int, problems: Problems) -> str:
    try:
        value = _text(raw, name)
    except TypeError:
        problems[name] = ("erp_status.error.not_text", {})
        return ""
    if len(value) > limit:
        problems[name] = ("erp_status.error.too_long", {"max": limit})
    elif any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        problems[name] = ("erp_status.error.control_characters", {})
    return value


def parse_line(raw: object) -> ShippedLine:
    """One shipped line ``{"sku": ..., "quantity": ...}``; raises :class:`InvalidUpdate`."""
    problems: Problems = {}
    if not isinstance(raw, Mapping):
        raise InvalidUpdate({"lines": ("erp_status.error.line_shape", {})})
    sku = _key(raw, "sku", SKU_MAX, problems)
    quantity = parse_positive_int(raw.get("quantity"), MAX_QUANTITY)
    if quantity is None:
        problems["quantity"] = ("erp_status.error.quantity", {})
    if problems:
        raise InvalidUpdate(problems)
    return ShippedLine(sku=sku.upper(), quantity=quantity)  # type: ignore[arg-type]


def parse_update(raw: object) -> StatusUpdate:
    """One update from untrusted values; raises :class:`InvalidUpdate` naming every problem."""
    if not isinstance(raw, Mapping):
        raise InvalidUpdate({"": ("erp_status.error.not_an_object", {})})
    problems: Problems = {}
    update_id = _key(raw, "update_id", UPDATE_ID_MAX, problems)
    number = _key(raw, "erp_order_number", ORDER_NUMBER_MAX, problems)
    try:
        status = _text(raw, "status").lower()
    except TypeError:
        status = ""
    if status not in REPORTED_STATUSES:
        problems["status"] = (
            "erp_status.error.status",
            {"allowed": ", ".join(REPORTED_STATUSES)},
        )
    occurred_at = None
    moment = _free_text(raw, "occurred_at", 40, problems)
    if moment and "occurred_at" not in problems:
        occurred_at = parse_moment(moment)
        if occurred_at is None:
            problems["occurred_at"] = ("erp_status.error.moment", {})
    carrier = _free_text(raw, "carrier", TEXT_MAX, problems)
    tracking = _free_text(raw, "tracking_number", TEXT_MAX, problems)
    note = _free_text(raw, "note", NOTE_MAX, problems)
    lines = _lines(raw.get("lines"), status, problems)
    if problems:
        raise InvalidUpdate(problems)
    return StatusUpdate(
        update_id=update_id,
        erp_order_number=number.upper(),
        status=status,
        occurred_at=occurred_at,
        carrier=carrier,
        tracking_number=tracking,
        lines=lines,
        note=note,
    )


def _lines(raw: object, status: str, problems: Problems) -> tuple[ShippedLine, ...]:
    if raw in (None, [], ()):
        return ()
    if status != OrderStatus.SHIPPED:
        problems["lines"] = ("erp_status.error.lines_only_shipped", {})
        return ()
    if not isinstance(raw, list | tuple) or len(raw) > MAX_LINES:
        problems["lines"] = ("erp_status.error.lines_shape", {"max": MAX_LINES})
        return ()
    merged: dict[str, int] = {}
    for index, item in enumerate(raw, start=1):
        try:
            line = parse_line(item)
        except InvalidUpdate as invalid:
            for name, problem in invalid.problems.items():
                problems[f"lines.{index}.{name}"] = problem
            continue
        merged[line.sku] = merged.get(line.sku, 0) + line.quantity
    return tuple(ShippedLine(sku, quantity) for sku, quantity in merged.items())


def shipped_after(
    ordered: Mapping[str, int],
    shipped_before: Mapping[str, int],
    update: StatusUpdate,
) -> tuple[dict[str, int], Problems]:
    """Quantities shipped per SKU once ``update`` (a ``shipped`` report) counts.

    A report without lines ships everything still open. Lines naming a SKU the order does
    not have, or more than is still open, are problems; nothing is counted then.
    """
    if not update.lines:
        return dict(ordered), {}
    problems: Problems = {}
    after = dict(shipped_before)
    for index, line in enumerate(update.lines, start=1):
        if line.sku not in ordered:
            problems[f"lines.{index}.sku"] = ("erp_status.error.sku_unknown", {"sku": line.sku})
            continue
        open_quantity = ordered[line.sku] - after.get(line.sku, 0)
        if line.quantity > open_quantity:
            problems[f"lines.{index}.quantity"] = (
                "erp_status.error.quantity_exceeds",
                {"sku": line.sku, "open": max(open_quantity, 0)},
            )
            continue
        after[line.sku] = after.get(line.sku, 0) + line.quantity
    return after, problems


def all_shipped(ordered: Mapping[str, int], shipped: Mapping[str, int]) -> bool:
    return all(shipped.get(sku, 0) >= quantity for sku, quantity in ordered.items())
