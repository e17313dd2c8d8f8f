"""Handing an approved order to the ERP: queued in the approving transaction, sent by the relay.

The outbox message carries only the order id; the relay's handler reads the order's current
revision when it delivers, so the ERP always gets what was approved. The dedup key makes a
second hand-off of the same order a no-op, also under concurrent approvals.
"""

from __future__ import annotations

from sqlmodel import Session

from customer_center.models.order import Order
from customer_center.outbox.enqueue import enqueue

ERP_ORDER_PLACED = "erp.order_placed"


def enqueue_handoff(session: Session, order: Order) -> None:
    """Queue ``order`` (approved, flushed) for the ERP within the caller's transaction."""
    assert order.id is not None
    enqueue(
        session,
        ERP_ORDER_PLACED,
        {"order_id": order.id, "company_id": order.company_id},
        dedup_key=f"erp-order:{order.id}",
    )
