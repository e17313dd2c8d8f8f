"""Why an order waits: the limits of its latest (re)submission, with today's figures."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from customer_center.domain.budgets import (
    LimitBreach,
    OrderFigures,
    breaches_now,
)
from customer_center.domain.order_states import EventKind
from customer_center.domain.orders import breach_of
from customer_center.models.order import Order, OrderEvent

REASON_EVENTS = (EventKind.SUBMITTED, EventKind.RESUBMITTED)


def _latest_reasons(session: Session, order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The reasons of each order's latest submission or resubmission."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not order_ids:
        return found
    events = session.exec(
        select(OrderEvent.order_id, OrderEvent.data)
        .where(col(OrderEvent.order_id).in_(order_ids), col(OrderEvent.kind).in_(REASON_EVENTS))
        .order_by(col(OrderEvent.id))
    ).all()
    for order_id, data in events:
        found[order_id] = list((data or {}).get("reasons", []))
    return found


def reasons_now(session: Session, orders: list[Order]) -> dict[int, list[LimitBreach]]:
    """Why each order waits: the limits of its latest (re)submission, with the figures of its
    current revision."""
    recorded = _latest_reasons(session, [o.id for o in orders if o.id is not None])
    return {
        order.id: breaches_now(
            [b for r in recorded.get(order.id, []) if (b := breach_of(r)) is not None],
            OrderFigures(order.total_quantity, order.total_cents),
        )
        for order in orders
        if order.id is not None
    }
