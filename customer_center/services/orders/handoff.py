"""Handing an approved order to the ERP: queued in the approving transaction, sent by the relay.

The outbox message carries only the order id; the relay's handler reads the order's current
revision when it delivers, so the ERP always gets what was approved. The dedup key makes a
second hand-off of the same order a no-op, also under concurrent approvals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from customer_center.db import session_scope
from customer_center.domain.order_states import EventKind, OrderStatus
from customer_center.domain.principals import SYSTEM
from customer_center.integrations.erp.protocol import ErpOrderAddress, ErpOrderLine, ErpOrderRequest
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.order import Order, OrderLine, OrderRevision
from customer_center.models.user import User
from customer_center.outbox.enqueue import enqueue
from customer_center.services.orders.events import add_event

log = logging.getLogger(__name__)

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


# --- delivery by the relay -------------------------------------------------------------------

HANDOFF_EVENT_KEY = "erp.handoff"  # one hand-off event per order, whatever happens


class OrderReceiver(Protocol):
    """The one method of ``ErpClient`` the hand-off needs (any ErpClient satisfies it)."""

    def place_order(self, order: ErpOrderRequest, message_id: str) -> str: ...


def handoff_handler(erp: OrderReceiver, engine: Engine) -> Callable[[dict[str, Any], str], None]:
    """The outbox handler of :data:`ERP_ORDER_PLACED`."""

    def deliver(payload: dict[str, Any], message_id: str) -> None:
        deliver_order(engine, erp, payload, message_id)

    return deliver


def deliver_order(
    engine: Engine, erp: OrderReceiver, payload: dict[str, Any], message_id: str
) -> str | None:
    """Send the order to the ERP and record its number; the ERP number, or ``None`` if there
    was nothing (more) to send.

    No transaction is open while the ERP is called. If the ERP is down
    (:class:`ErpUnavailable`) the error goes to the relay, which retries the same message id
    later; if the portal fails after the ERP answered, the retry gets the same number back
    (the ERP is idempotent by message id) and records it then.
    """
    order_id, company_id = _payload_ids(payload)
    with session_scope(engine) as session:
        request = order_request(session, order_id, company_id)
    if request is None:
        return None
    number = erp.place_order(request, message_id)
    with session_scope(engine) as session:
        record_handoff(session, order_id, company_id, number)
    return number


def _payload_ids(payload: dict[str, Any]) -> tuple[int, int]:
    order_id, company_id = payload.get("order_id"), payload.get("company_id")
    if not isinstance(order_id, int) or not isinstance(company_id, int):
        raise ValueError(f"hand-off payload without order and company ids: {payload!r}")
    return order_id, company_id


def _company_order(session: Session, order_id: int, company_id: int, lock: bool = False) -> Order:
    statement = select(Order).where(Order.id == order_id, Order.company_id == company_id)
    order = session.exec(statement.with_for_update() if lock else statement).first()
    if order is None:
        raise LookupError(f"order {order_id} of company {company_id} does not exist")
    return order


def order_request(session: Session, order_id: int, company_id: int) -> ErpOrderRequest | None:
    """What the ERP gets: the current (approved) revision; ``None`` if the order was handed
    off already or is no longer approved (cancelled before the ERP got it)."""
    order = _company_order(session, order_id, company_id)
    if order.erp_order_number or order.status != OrderStatus.APPROVED:
        log.info("order %s not sent to the ERP: status %s", order_id, order.status)
        return None
    company = session.get(Company, company_id)
    requester = session.get(User, order.requester_id)
    assert company is not None and requester is not None
    lines = session.exec(
        select(OrderLine)
        .where(OrderLine.order_id == order_id, OrderLine.revision == order.revision)
        .order_by(col(OrderLine.position))
    ).all()
    first = session.exec(
        select(OrderRevision.comment).where(
            OrderRevision.order_id == order_id, OrderRevision.number == 1
        )
    ).first()
    return ErpOrderRequest(
        portal_order_id=order_id,
        customer_number=company.customer_number,
        reference=order.reference,
        requester_name=requester.name,
        requester_email=requester.email,
        currency=order.currency,
        total=_amount(order.total_cents),
        delivery_address=_address(order.delivery_address),
        billing_address=_address(order.billing_address),
        payment_method=order.payment_method,
        shipping_method=order.shipping_method,
        comment=first or "",
        lines=tuple(
            ErpOrderLine(
                position=line.position,
                sku=line.sku,
                name=line.name,
                unit=line.unit,
                quantity=line.quantity,
                unit_price=_amount(line.unit_price_cents),
                line_total=_amount(line.line_total_cents),
            )
            for line in lines
        ),
    )


def record_handoff(session: Session, order_id: int, company_id: int, erp_number: str) -> bool:
    """Store the ERP's number and move the order to ``sent_to_erp``; ``False`` if it was
    recorded before (a repeated delivery). The order row is locked while this is decided."""
    order = _company_order(session, order_id, company_id, lock=True)
    if order.erp_order_number:
        return False
    order.erp_order_number = erp_number
    if order.status == OrderStatus.APPROVED:
        order.status = OrderStatus.SENT_TO_ERP
    order.version += 1
    order.updated_at = utcnow()
    session.add(order)
    add_event(
        session,
        order,
        EventKind.ERP_SENT,
        SYSTEM,
        data={"erp_order_number": erp_number},
        external_key=HANDOFF_EVENT_KEY,
    )
    return True


def _amount(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _address(value: dict[str, Any] | None) -> ErpOrderAddress:
    source = value or {}

    def text(name: str) -> str:
        found = source.get(name, "")
        return found if isinstance(found, str) else ""

    return ErpOrderAddress(
        name=text("name"),
        street=text("street"),
        postal_code=text("postal_code"),
        city=text("city"),
        country=text("country"),
    )
