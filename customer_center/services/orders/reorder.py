"""Order again: an order's current lines into the cart at today's prices, saying what changed.

The order is loaded by ``(order_id, principal's company)`` and the viewing rule of
:mod:`customer_center.services.orders.access` (who may not see it gets "not found"); its lines
of the current revision go through the quick order's check (catalogue, customer's price,
bounds of the cart), the good ones into the cart at once; the result lists per line what is
different from the order (:mod:`customer_center.domain.reorder`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from customer_center.domain.order_lines import EnteredLine, LineProblem
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.domain.reorder import Change, PastLine, TodayLine, changes
from customer_center.integrations.erp.protocol import ErpClient
from customer_center.models.order import Order, OrderLine
from customer_center.services.orders.access import seen_order
from customer_center.services.shop.quick_order import add_lines

_GONE = (LineProblem.UNKNOWN, LineProblem.NOT_ORDERABLE)


@dataclass(frozen=True)
class ReorderResult:
    added: int  # lines put into the cart
    changes: list[Change]
    currency: str


def past_lines(session: Session, order: Order) -> list[PastLine]:
    """The order's lines of its current revision, in their positions."""
    rows = session.exec(
        select(OrderLine)
        .where(OrderLine.order_id == order.id, OrderLine.revision == order.revision)
        .order_by(col(OrderLine.position))
    )
    return [PastLine(r.sku, r.name, r.quantity, r.unit_price_cents) for r in rows]


def reorder(
    session: Session, principal: CustomerUser, *, order_id: object, erp: ErpClient
) -> ReorderResult:
    principal.require(Permission.ORDERS_CREATE)
    order = seen_order(session, principal, order_id=order_id)
    past = past_lines(session, order)
    entered = [EnteredLine(i, line.sku, line.quantity) for i, line in enumerate(past, start=1)]
    check = add_lines(session, principal, erp=erp, lines=entered)
    today = {
        line.sku.upper(): TodayLine(
            sku=line.sku,
            unit_price_cents=line.unit_price_cents,
            available=line.problem not in _GONE,
            added=line.ok,
        )
        for line in check.lines
    }
    return ReorderResult(check.added, changes(past, today), order.currency)
