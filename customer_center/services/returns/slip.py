"""The return slip of an approved return as data (the presenter prints it): the RMA number,
the customer's and the seller's address, the lines and quantities. The customer's side may
fetch the slips of the returns it sees, an agent those of the account teams' companies;
anything else (another company, no RMA yet, an unknown number) is one refusal."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.domain.orders import order_number
from customer_center.domain.principals import CustomerUser, SellerAgent
from customer_center.domain.returns import return_number
from customer_center.models.company import Company
from customer_center.models.order import Order
from customer_center.models.returns import ReturnRequest
from customer_center.services.returns import customer, records, seller

REFUSED = "returns.error.slip_refused"


@dataclass(frozen=True)
class SlipData:
    rma_number: str
    return_number: str
    order_number: str
    reason: str
    customer_number: str
    customer: tuple[str, ...]  # name and address lines
    lines: tuple[tuple[str, str, int], ...]  # (sku, name, quantity)


def customer_slip(session: Session, principal: CustomerUser, *, return_id: object) -> SlipData:
    try:
        found = customer.visible_return(session, principal, return_id=return_id)
    except ServiceError:
        raise ServiceError(REFUSED) from None
    return _slip(session, found)


def seller_slip(session: Session, principal: SellerAgent, *, return_id: object) -> SlipData:
    try:
        found = seller.team_return(session, principal, return_id=return_id)
    except ServiceError:
        raise ServiceError(REFUSED) from None
    return _slip(session, found)


def _slip(session: Session, found: ReturnRequest) -> SlipData:
    if not found.rma_number:
        raise ServiceError(REFUSED)
    company = session.get(Company, found.company_id)
    order = session.get(Order, found.order_id)
    assert company is not None and order is not None
    address = order.delivery_address or {}
    place = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
    lines = [company.name, str(address.get("street", "")), place, str(address.get("country", ""))]
    return SlipData(
        rma_number=found.rma_number,
        return_number=return_number(found.id or 0),
        order_number=order_number(order),
        reason=found.reason,
        customer_number=company.customer_number,
        customer=tuple(line for line in lines if line),
        lines=tuple(
            (line.sku, line.name, line.quantity) for line in records.lines_of(session, found)
        ),
    )
