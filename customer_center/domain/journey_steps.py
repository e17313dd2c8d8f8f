"""The order's journey as steps a reader follows: placed, approval, sent to the seller,
confirmed, picked, shipped, in transit, delivered; cancelled and returned end it.

Pure: built from the order's status and its timeline (domain.timeline entries), whose ERP
entries carry the moment the ERP reports (``occurred_at``), not the moment the portal heard
of it. Each step is done (with its moment), current, upcoming or skipped; shipments list
which lines and quantities went, with carrier and tracking number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from customer_center.domain.order_states import EventKind, OrderStatus, erp_event, erp_status_of
from customer_center.domain.timeline import TimelineEntry

PLACED = "placed"
APPROVAL = "approval"
SENT = "sent_to_erp"
STEPS: tuple[str, ...] = (
    PLACED,
    APPROVAL,
    SENT,
    OrderStatus.CONFIRMED,
    OrderStatus.PICKED,
    OrderStatus.SHIPPED,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
)
END_STATES = (OrderStatus.CANCELLED, OrderStatus.RETURNED)

DONE, CURRENT, UPCOMING, SKIPPED = "done", "current", "upcoming", "skipped"

# How far along each status has come: the index of its last finished step.
_REACHED: dict[str, int] = {
    OrderStatus.DRAFT: -1,
    OrderStatus.PENDING_APPROVAL: 0,
    OrderStatus.REJECTED: 0,
    OrderStatus.APPROVED: 1,
    OrderStatus.SENT_TO_ERP: 2,
    OrderStatus.CONFIRMED: 3,
    OrderStatus.PICKED: 4,
    OrderStatus.PARTIALLY_SHIPPED: 4,
    OrderStatus.SHIPPED: 5,
    OrderStatus.IN_TRANSIT: 6,
    OrderStatus.DELIVERED: 7,
}
_SHIPMENT_KINDS = (erp_event(OrderStatus.SHIPPED), erp_event(OrderStatus.PARTIALLY_SHIPPED))


@dataclass(frozen=True)
class JourneyStep:
    code: str  # one of STEPS
    state: str  # done | current | upcoming | skipped
    when: datetime | None = None
    partial: bool = False  # shipped: only part of the order so far
    rejected: bool = False  # approval: the last decision was a rejection


@dataclass(frozen=True)
class Shipment:
    when: datetime
    carrier: str
    tracking_number: str
    lines: tuple[tuple[str, int], ...]  # (sku, quantity); empty: everything still open
    partial: bool


@dataclass(frozen=True)
class Journey:
    steps: tuple[JourneyStep, ...]
    end: str  # "" | cancelled | returned
    end_when: datetime | None
    shipments: tuple[Shipment, ...]


def _moments(entries: Sequence[TimelineEntry]) -> dict[str, datetime]:
    """The first moment of each step in the timeline (ERP entries: as the ERP reports)."""
    found: dict[str, datetime] = {}

    def note(code: str, when: datetime) -> None:
        found.setdefault(code, when)

    for entry in entries:
        kind = entry.kind
        if kind == EventKind.SUBMITTED:
            note(PLACED, entry.when)
        elif kind == EventKind.APPROVED and entry.data.get("final"):
            found[APPROVAL] = entry.when  # the last final approval (after a resubmission)
        elif kind == EventKind.ERP_SENT:
            note(SENT, entry.when)
        elif kind in _SHIPMENT_KINDS:
            note(OrderStatus.SHIPPED, entry.when)
        elif kind == EventKind.CANCELLED:
            note(OrderStatus.CANCELLED, entry.when)
        else:
            status = erp_status_of(kind)
            if status is not None:
                note(status, entry.when)
    return found


def _reached(status: str, moments: dict[str, datetime]) -> int:
    """The last finished step; a cancelled order got as far as its timeline shows."""
    if status in END_STATES:
        return max((i for i, code in enumerate(STEPS) if code in moments), default=0)
    return _REACHED.get(status, -1)


def journey(status: str, entries: Sequence[TimelineEntry]) -> Journey:
    """The steps of an order in ``status`` with the moments its timeline ``entries`` give."""
    moments = _moments(entries)
    reached = _reached(status, moments)
    ended = status in END_STATES
    steps = []
    for index, code in enumerate(STEPS):
        when = moments.get(code)
        if index <= reached:
            state = DONE  # a skipped stage (shipped right after confirmed) has no moment
        elif index == reached + 1 and not ended:
            state = CURRENT
        else:
            state = UPCOMING
        steps.append(
            JourneyStep(
                code=code,
                state=state,
                when=when if state == DONE else None,
                partial=code == OrderStatus.SHIPPED and status == OrderStatus.PARTIALLY_SHIPPED,
                rejected=code == APPROVAL and status == OrderStatus.REJECTED,
            )
        )
    end = status if ended else ""
    return Journey(
        steps=tuple(steps),
        end=end,
        end_when=moments.get(end) if end else None,
        shipments=shipments_of(entries),
    )


def shipments_of(entries: Sequence[TimelineEntry]) -> tuple[Shipment, ...]:
    """Every shipment the ERP reported, oldest first, with its lines."""
    found = []
    for entry in entries:
        if entry.kind not in _SHIPMENT_KINDS:
            continue
        lines = tuple(
            (str(line.get("sku", "")), int(line.get("quantity") or 0))
            for line in entry.data.get("lines") or []
            if isinstance(line, dict)
        )
        found.append(
            Shipment(
                when=entry.when,
                carrier=str(entry.data.get("carrier") or ""),
                tracking_number=str(entry.data.get("tracking_number") or ""),
                lines=lines,
                partial=bool(entry.data.get("partial")),
            )
        )
    return tuple(found)
