"""The order's conversation: comments by anyone who may see it, while it is open."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import EventKind
from customer_center.domain.orders import (
    is_open,
)
from customer_center.domain.principals import CustomerUser
from customer_center.services.orders.access import (
    comment_text,
    visible_order,
)
from customer_center.services.orders.events import add_event


def add_comment(session: Session, principal: CustomerUser, *, order_id: object, text: str) -> None:
    """A message in the order's conversation, by anyone who may see it, while it is open."""
    body = comment_text(text, required=True)
    order, _viewer = visible_order(session, principal, order_id=order_id)
    if not is_open(order.status):
        raise ServiceError("orders.error.not_open")
    add_event(session, order, EventKind.COMMENT, principal.attribution, body=body)
