"""Orders whose stored prices can be checked against the demo ERP's contracts (customer 10001).

The demo ERP (``integrations/erp/demo_data/prices.csv``) gives Müller (10001) three rows for
the bearing BRG-6205-2RS: 7.90 EUR in 2025 (ended), 7.45 EUR since 1 Jan 2026 and 6.95 EUR
from 100 pieces since then; the motor MTR-IE3-4KW costs Müller 559.00 EUR, open-ended.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from customer_center.domain.order_states import EventKind, OrderStatus
from customer_center.domain.principals import SYSTEM, by_user
from customer_center.models.company import Company
from customer_center.models.order import Order, OrderLine, OrderRevision
from customer_center.models.user import User
from customer_center.services.orders.events import add_event
from tests.order_factories import ADDRESS

BEARING = "BRG-6205-2RS"
MOTOR = "MTR-IE3-4KW"
# A day the current bearing contract (7.45 EUR) was valid, the 2025 one (7.90 EUR) not.
MISMATCH_PLACED_AT = datetime(2026, 2, 10, 9, 30, tzinfo=UTC)
# Lines (sku, name, quantity, stored unit price in cents) of the mismatched order: the bearings
# were priced with the ended contract, the motor as contracted.
MISMATCH_LINES = (
    (BEARING, "Deep groove ball bearing 6205-2RS", 10, 790),
    (MOTOR, "Three-phase motor IE3 4 kW", 1, 55900),
)


def seed_order(
    session: Session,
    company_id: int,
    requester_id: int,
    lines: tuple[tuple[str, str, int, int], ...] = MISMATCH_LINES,
    placed_at: datetime = MISMATCH_PLACED_AT,
    reference: str = "PO-PRICE-CHECK",
) -> int:
    """An approved order placed at ``placed_at`` with exactly these stored prices (as an older
    portal or a wrong price feed might have stored them); returns its id. Commits."""
    total = sum(quantity * cents for _sku, _name, quantity, cents in lines)
    order = Order(
        company_id=company_id,
        requester_id=requester_id,
        status=OrderStatus.APPROVED,
        total_cents=total,
        total_quantity=sum(quantity for _sku, _name, quantity, _cents in lines),
        reference=reference,
        delivery_address=dict(ADDRESS),
        billing_address=dict(ADDRESS),
        payment_method="invoice",
        shipping_method="standard",
        created_at=placed_at,
        submitted_at=placed_at,
        decided_at=placed_at,
        updated_at=placed_at,
    )
    session.add(order)
    session.flush()
    assert order.id is not None
    session.add_all(
        OrderLine(
            order_id=order.id,
            revision=1,
            position=position,
            sku=sku,
            name=name,
            unit="pc",
            quantity=quantity,
            unit_price_cents=cents,
            line_total_cents=quantity * cents,
        )
        for position, (sku, name, quantity, cents) in enumerate(lines, start=1)
    )
    session.add(
        OrderRevision(
            order_id=order.id,
            number=1,
            author_id=requester_id,
            reason="submitted",
            total_cents=total,
            created_at=placed_at,
        )
    )
    events = [
        add_event(session, order, EventKind.SUBMITTED, by_user(requester_id), data={"reasons": []}),
        add_event(
            session, order, EventKind.APPROVED, SYSTEM, data={"final": True, "automatic": True}
        ),
    ]
    for event in events:
        event.created_at = placed_at
    session.commit()
    return order.id


def seed_mismatched_order(
    session: Session, customer_number: str = "10001", requester_email: str | None = None
) -> int:
    """The mismatched order (:data:`MISMATCH_LINES`, placed :data:`MISMATCH_PLACED_AT`) for
    the company with this customer number, requested by the user with ``requester_email``
    (default: the main contact); for a browser test once the company is activated."""
    company = session.exec(select(Company).where(Company.customer_number == customer_number)).one()
    users = select(User).where(User.company_id == company.id)
    if requester_email is not None:
        users = users.where(User.email == requester_email)
    else:
        users = users.order_by(col(User.is_main_contact).desc(), col(User.id))
    requester = session.exec(users).first()
    assert company.id is not None and requester is not None and requester.id is not None
    return seed_order(session, company.id, requester.id)
