"""Orders for the journey's tests, made directly with the models (header, revision, lines)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from customer_center.domain.order_states import OrderStatus
from customer_center.models.base import utcnow
from customer_center.models.order import Order, OrderLine, OrderRevision

ADDRESS = {
    "name": "Acme GmbH, Goods receipt",
    "street": "Hafenstraße 1",
    "postal_code": "20457",
    "city": "Hamburg",
    "country": "DE",
}
# (sku, name, quantity, unit price in cents)
LINES = (("A-100", "Hex bolt M8", 10, 125), ("B-200", "Washer M8", 4, 50))


def make_order(
    session: Session,
    company_id: int,
    requester_id: int,
    *,
    status: str = OrderStatus.APPROVED,
    lines: tuple[tuple[str, str, int, int], ...] = LINES,
    submitted_at: datetime | None = None,
    reference: str = "PO-4711",
    comment: str = "Please deliver to gate 2.",
    erp_order_number: str | None = None,
    currency: str = "EUR",
) -> Order:
    """A submitted order with one revision; committed."""
    moment = submitted_at or utcnow()
    total = sum(quantity * price for _sku, _name, quantity, price in lines)
    order = Order(
        company_id=company_id,
        requester_id=requester_id,
        status=status,
        currency=currency,
        total_cents=total,
        total_quantity=sum(quantity for _sku, _name, quantity, _price in lines),
        reference=reference,
        delivery_address=dict(ADDRESS),
        billing_address=dict(ADDRESS),
        payment_method="invoice",
        shipping_method="standard",
        erp_order_number=erp_order_number,
        created_at=moment,
        submitted_at=moment,
        decided_at=moment,
        updated_at=moment,
    )
    session.add(order)
    session.flush()
    assert order.id is not None
    session.add(
        OrderRevision(
            order_id=order.id,
            number=1,
            author_id=requester_id,
            reason="submitted",
            comment=comment,
            total_cents=total,
            created_at=moment,
        )
    )
    for position, (sku, name, quantity, price) in enumerate(lines, start=1):
        session.add(
            OrderLine(
                order_id=order.id,
                revision=1,
                position=position,
                sku=sku,
                name=name,
                unit="pc",
                quantity=quantity,
                unit_price_cents=price,
                line_total_cents=quantity * price,
            )
        )
    session.commit()
    return order


def seed_delivered_order(
    session: Session,
    company_id: int,
    requester_id: int,
    *,
    erp_order_number: str = "SO-4711",
    lines: tuple[tuple[str, str, int, int], ...] = LINES,
    update_prefix: str = "u",
) -> Order:
    """An order handed to the ERP, then confirmed, shipped in two parts (DHL, then UPS, per
    line) and delivered, through the ERP status service as the ERP reports it; the first line
    ships in both parts, the others in the second. Commits."""
    from customer_center.domain.order_journey import parse_update
    from customer_center.domain.order_states import EventKind
    from customer_center.domain.principals import SYSTEM
    from customer_center.services.orders.erp_status import apply_update
    from customer_center.services.orders.events import add_event
    from customer_center.settings import get_settings

    order = make_order(
        session,
        company_id,
        requester_id,
        status=OrderStatus.SENT_TO_ERP,
        erp_order_number=erp_order_number,
        lines=lines,
    )
    add_event(
        session, order, EventKind.ERP_SENT, SYSTEM, data={"erp_order_number": erp_order_number}
    )
    (first_sku, _name, first_quantity, _price), *rest = lines
    part = max(1, first_quantity // 3)
    second = [{"sku": first_sku, "quantity": first_quantity - part}] + [
        {"sku": sku, "quantity": quantity} for sku, _n, quantity, _p in rest
    ]
    updates = (
        ("confirmed", "2026-11-02T08:00:00Z", {}),
        (
            "shipped",
            "2026-11-03T09:30:00+01:00",
            {
                "carrier": "DHL",
                "tracking_number": "00340434",
                "lines": [{"sku": first_sku, "quantity": part}],
            },
        ),
        (
            "shipped",
            "2026-11-04T10:00:00Z",
            {"carrier": "UPS", "tracking_number": "1Z999", "lines": second},
        ),
        ("delivered", "2026-11-06T12:00:00Z", {}),
    )
    for number, (status, when, more) in enumerate(updates, start=1):
        raw = {
            "update_id": f"{update_prefix}{erp_order_number}-{number}",
            "erp_order_number": erp_order_number,
            "status": status,
            "occurred_at": when,
            **more,
        }
        apply_update(session, get_settings(), parse_update(raw))
    session.commit()
    session.refresh(order)
    return order
