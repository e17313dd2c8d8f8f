"""The order's timeline: one ``OrderEvent`` per thing that happened, with who acted and for
whom (the principal's attribution; the portal itself as ``domain.principals.SYSTEM``)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from customer_center.domain.principals import Attribution
from customer_center.models.order import Order, OrderEvent

BODY_MAX = 4000


def add_event(
    session: Session,
    order: Order,
    kind: str,
    by: Attribution,
    *,
    body: str = "",
    data: dict[str, Any] | None = None,
    external_key: str | None = None,
) -> OrderEvent:
    """Record ``kind`` on the order's timeline, attributed to ``by``."""
    event = OrderEvent(
        company_id=order.company_id,
        order_id=order.id,  # type: ignore[arg-type]
        kind=kind,
        actor_id=by.user_id,
        actor_kind=by.actor_kind,
        actor_ref=by.actor_id,
        revision=order.revision,
        body=body[:BODY_MAX],
        data=data or {},
        external_key=external_key,
    )
    session.add(event)
    return event
