"""Placing an order: prices from the ERP, the budget decides, the chain routes.

Within every limit an order is approved at once and queued for the ERP. Over a limit it
waits for approval: the reasons go into the submission's event (as figures, so every reader
sees them in their own language) and one ``ApprovalStep`` per level and approver is written,
naming the DESIGNATED approver; who decides for them today (a substitute, the main contact)
is resolved when the inbox is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from customer_center.domain.approval_steps import first_status
from customer_center.domain.budgets import LimitBreach, OrderFigures
from customer_center.domain.chains import RouteStep
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.order_states import EventKind, OrderStatus
from customer_center.domain.orders import (
    LineSnapshot,
    breach_data,
    checkout_errors,
    clean_address,
    merge_lines,
    price_cents,
)
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import SYSTEM, CustomerUser
from customer_center.integrations.erp.protocol import CachedOffer, ErpClient, ErpUnavailable
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.order import ApprovalStep, Order, OrderLine, OrderRevision
from customer_center.services.orders import mails
from customer_center.services.orders.events import add_event
from customer_center.services.orders.handoff import enqueue_handoff
from customer_center.services.people.budgets import local_today, order_breaches
from customer_center.services.people.chains import route_for_order
from customer_center.services.wiring import erp_client
from customer_center.settings import Settings


@dataclass(frozen=True)
class LineRequest:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Checkout:
    delivery_address: dict[str, str]  # keys: name, street, postal_code, city, country
    billing_address: dict[str, str]  # same keys
    payment_method: str  # one of domain.orders.PAYMENT_METHODS
    shipping_method: str  # one of domain.orders.SHIPPING_METHODS
    reference: str = ""  # the company's own order reference, at most 100 characters
    comment: str = ""  # at most 2000 characters


@dataclass(frozen=True)
class SubmitOutcome:
    order_id: int
    status: str  # approved | pending_approval
    reasons: list[LimitBreach]  # why it needs approval (none when approved at once)
    currency: str = "EUR"  # of the order's figures


def submit_order(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    lines: Sequence[LineRequest],
    checkout: Checkout,
    erp: ErpClient | None = None,
    today: date | None = None,
    approved_elsewhere: bool = False,
) -> SubmitOutcome:
    """Check, price and place an order of the principal; errors keyed by field name.
    ``approved_elsewhere``: the customer's procurement system approved it (punchout), so the
    portal's budgets and approver chains do not apply."""
    principal.require(Permission.ORDERS_CREATE)
    requested = [(line.sku, line.quantity) for line in lines]
    order = _checked_order(principal, requested, checkout)
    company = session.get(Company, principal.company_id)
    assert company is not None
    order.currency = company.currency
    priced = _priced_lines(erp, company, merge_lines(requested), today)
    order.vat_rate = _vat_rate(erp, company)
    figures = OrderFigures(
        sum(line.quantity for line in priced), sum(line.total_cents for line in priced)
    )
    # Before the order exists: it must not count against its own budget.
    breaches = (
        []
        if approved_elsewhere
        else order_breaches(session, principal.company_id, principal.user_id, figures, today)
    )
    order.total_cents, order.total_quantity = figures.total_cents, figures.total_quantity
    order.submitted_at = utcnow()
    session.add(order)
    session.flush()
    write_revision(session, order, priced, principal.user_id, "submitted", checkout.comment.strip())
    add_event(
        session,
        order,
        EventKind.SUBMITTED,
        principal.attribution,
        body=checkout.comment.strip(),
        data={"reasons": [breach_data(b) for b in breaches]},
    )
    decide_on_submission(session, settings, order, breaches, today or local_today())
    return SubmitOutcome(
        order_id=order.id,  # type: ignore[arg-type]
        status=order.status,
        reasons=breaches,
        currency=order.currency,
    )


def _checked_order(
    principal: CustomerUser, requested: list[tuple[str, int]], checkout: Checkout
) -> Order:
    """The new order's header once the checkout is valid; else every problem by field."""
    delivery = clean_address(checkout.delivery_address)
    billing = clean_address(checkout.billing_address)
    errors = checkout_errors(
        requested,
        delivery,
        billing,
        checkout.payment_method,
        checkout.shipping_method,
        checkout.reference,
        checkout.comment,
    )
    if errors:
        raise ValidationFailed(errors)
    return Order(
        company_id=principal.company_id,
        requester_id=principal.user_id,
        reference=checkout.reference.strip(),
        delivery_address=delivery,
        billing_address=billing,
        payment_method=checkout.payment_method,
        shipping_method=checkout.shipping_method,
    )


def _priced_lines(
    erp: ErpClient | None, company: Company, requested: list[tuple[str, int]], today: date | None
) -> list[LineSnapshot]:
    """Each line priced by the ERP for its quantity today (a quantity break applies)."""
    client = erp or erp_client()
    try:
        offers = client.get_offers(
            company.customer_number,
            [sku for sku, _q in requested],
            quantities=dict(requested),
            day=today,
        )
    except ErpUnavailable as error:
        raise ServiceError("orders.error.erp_unavailable") from error
    if any(isinstance(offer, CachedOffer) for offer in offers.values()):
        # Last known prices are for showing while the ERP is down, never for an order.
        raise ServiceError("orders.error.erp_unavailable")
    unknown = [sku for sku, _q in requested if sku not in offers]
    if unknown:
        raise ValidationFailed({"lines": ("orders.error.unknown_sku", {"sku": ", ".join(unknown)})})
    priced = []
    for sku, quantity in requested:
        offer = offers[sku]
        if offer.currency != company.currency:
            raise ValidationFailed(
                {"lines": ("orders.error.currency", {"sku": sku, "currency": offer.currency})}
            )
        priced.append(LineSnapshot(sku, offer.product.name, quantity, price_cents(offer.price)))
    return priced


def _vat_rate(erp: ErpClient | None, company: Company) -> Decimal | None:
    """The ERP's VAT rate for the company now, kept with the order like its prices."""
    try:
        return (erp or erp_client()).get_vat_rate(company.customer_number)
    except ErpUnavailable:
        return None


def header_of(order: Order) -> dict[str, Any]:
    """The header fields a revision records (and the diff compares)."""
    return {
        "delivery_address": dict(order.delivery_address),
        "billing_address": dict(order.billing_address),
        "shipping_method": order.shipping_method,
        "payment_method": order.payment_method,
        "reference": order.reference,
    }


def write_revision(
    session: Session,
    order: Order,
    lines: Sequence[LineSnapshot],
    author_id: int,
    reason: str,
    comment: str,
) -> None:
    """The lines and header of ``order.revision`` (already set on the order)."""
    assert order.id is not None
    session.add_all(
        OrderLine(
            order_id=order.id,
            revision=order.revision,
            position=position,
            sku=line.sku,
            name=line.name[:200],
            quantity=line.quantity,
            unit_price_cents=line.unit_price_cents,
            line_total_cents=line.total_cents,
        )
        for position, line in enumerate(lines, start=1)
    )
    session.add(
        OrderRevision(
            order_id=order.id,
            number=order.revision,
            author_id=author_id,
            reason=reason,
            comment=comment[:2000],
            header=header_of(order),
            total_cents=sum(line.total_cents for line in lines),
        )
    )


def decide_on_submission(
    session: Session,
    settings: Settings,
    order: Order,
    breaches: list[LimitBreach],
    today: date,
) -> None:
    """Within budget (or nobody but the requester could decide): approved and queued for the
    ERP. Otherwise waiting for the first level of the route."""
    route: list[RouteStep] = []
    if breaches:
        route = route_for_order(
            session, order.company_id, order.requester_id, order.total_cents, today
        )
    now = utcnow()
    if not route:
        order.status, order.decided_at, order.updated_at = OrderStatus.APPROVED, now, now
        session.add(order)
        session.flush()
        add_event(
            session,
            order,
            EventKind.APPROVED,
            SYSTEM,
            data={"final": True, "automatic": True, "self": bool(breaches)},
        )
        enqueue_handoff(session, order)
        return
    order.status, order.decided_at, order.updated_at = OrderStatus.PENDING_APPROVAL, None, now
    session.add(order)
    for position, step in enumerate(route):
        for approver in step.approvers:
            session.add(
                ApprovalStep(
                    company_id=order.company_id,
                    order_id=order.id,  # type: ignore[arg-type]
                    revision=order.revision,
                    level=position,
                    rule=step.rule,
                    approver_id=approver.on_behalf_of or approver.user_id,
                    status=first_status(position),
                    due_since=now if position == 0 else None,
                )
            )
    session.flush()
    mails.approvals_requested(session, settings, order, [a.user_id for a in route[0].approvers])


def current_lines(session: Session, order: Order) -> list[OrderLine]:
    return list(
        session.exec(
            select(OrderLine)
            .where(OrderLine.order_id == order.id, OrderLine.revision == order.revision)
            .order_by(col(OrderLine.position))
        ).all()
    )
