"""The statuses of an order and of its approval steps, and the kinds of its timeline events.

Pure: the string values are those stored in the database (no migration); the enums are
``StrEnum`` so they compare equal to the stored strings.
"""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    # After approval, the ERP reports the order's journey.
    SENT_TO_ERP = "sent_to_erp"
    CONFIRMED = "confirmed"
    PICKED = "picked"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    RETURNED = "returned"


# Orders in these states do not use budget; pending ones reserve it; every other state spends.
NOT_COUNTED_STATUSES = frozenset({OrderStatus.DRAFT, OrderStatus.REJECTED, OrderStatus.CANCELLED})
RESERVING_STATUSES = frozenset({OrderStatus.PENDING_APPROVAL})


class StepStatus(StrEnum):
    WAITING = "waiting"  # its level is the current one, a decision is due
    QUEUED = "queued"  # a later level, not yet due
    APPROVED = "approved"
    REJECTED = "rejected"
    SKIPPED = "skipped"  # the level was settled by another member ("any of")
    SUPERSEDED = "superseded"  # a new revision restarted the approval


class StepRule(StrEnum):
    ANY = "any"  # one member's approval settles the level
    ALL = "all"  # every member must approve


class EventKind(StrEnum):
    """What an ``OrderEvent`` records; ERP updates are ``erp.<status>`` (see erp_event)."""

    SUBMITTED = "submitted"  # data: reasons (breach figures)
    APPROVED = "approved"  # data: level (0-based), final, on_behalf_of; automatic, self
    REJECTED = "rejected"
    CHANGED = "changed"  # data: diff
    RESUBMITTED = "resubmitted"  # data: diff, reasons
    CANCELLED = "cancelled"
    COMMENT = "comment"
    REMINDED = "reminded"
    ESCALATED = "escalated"
    ERP_SENT = "erp.sent"  # data: erp_order_number


ERP_EVENT_PREFIX = "erp."


def erp_event(status: str) -> str:
    """The event kind of a status reported by the ERP: ``erp.shipped``."""
    return f"{ERP_EVENT_PREFIX}{status}"


def erp_status_of(kind: str) -> str | None:
    """The reported status of an ERP event kind, None for the portal's own events."""
    return kind.removeprefix(ERP_EVENT_PREFIX) if kind.startswith(ERP_EVENT_PREFIX) else None
