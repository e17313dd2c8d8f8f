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
