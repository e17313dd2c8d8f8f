"""The contract price check: what a customer pays for a product, and whether an order paid it.

Every price is asked of the ERP with the **customer's** context: the customer number of the
company row, the quantity of the line and the day that counts (today, or the day an order's
prices were taken). Nothing of the agent (who has no company, currency or contract) reaches the
ERP; this is the bug class of shops that emulate customers with the agent's prices.

An order's prices are taken from the ERP once, when it is submitted (revision 1); later
revisions (an approver's change, a resubmission) keep the unit prices. So an order's lines, as
they stand, are checked against the contract valid on the day of revision 1 for each line's
quantity now: a changed quantity that crosses a quantity break is flagged too.

Each check is one audited look (``seller.checked_prices``) in the customer's audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_ID, parse_id, parse_quantity, require
from customer_center.domain.orders import price_cents
from customer_center.domain.portal_time import local_day, local_today
from customer_center.domain.prices import PriceQuote
from customer_center.domain.principals import SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.integrations.erp.protocol import (
    CachedOffer,
    ErpClient,
    ErpPrice,
    ErpProductOffer,
    ErpUnavailable,
)
from customer_center.models.company import Company
from customer_center.models.order import CartItem, Order, OrderLine, OrderRevision
from customer_center.models.user import User
from customer_center.services import audit

ACTION = "seller.checked_prices"
NOT_FOUND = "prices.error.not_found"
ERP_UNAVAILABLE = "prices.error.erp_unavailable"
SKU_MAX = 64


@dataclass(frozen=True)
class PriceCheck:
    """The price of ``quantity`` pieces of a product for the customer on ``day``."""

    sku: str
    name: str
    unit: str
    quantity: int
    day: date
    quote: PriceQuote  # amount, currency, source, the contract row's validity and min quantity
    list_price: Decimal
    list_currency: str
    # Every contract row of the customer for the product (ended, current, future, breaks);
    # empty for the lines of a cart.
    terms: tuple[ErpPrice, ...] = ()


@dataclass(frozen=True)
class LineCheck:
    """One order line: the unit price stored at placement against the contract of that day."""

    position: int
    sku: str
    name: str
    quantity: int
    stored_cents: int
    stored_currency: str
    quote: PriceQuote | None  # None: the ERP no longer knows the product
    list_price: Decimal | None
    list_currency: str = ""

    @property
    def expected_cents(self) -> int | None:
        return price_cents(self.quote.amount) if self.quote else None

    @property
    def difference_cents(self) -> int | None:
        """Stored minus expected unit price (positive: the customer was charged more)."""
        if self.quote is None or self.quote.currency != self.stored_currency:
            return None
        return self.stored_cents - price_cents(self.quote.amount)

    @property
    def mismatch(self) -> bool:
        if self.quote is None:
            return False
        return self.quote.currency != self.stored_currency or self.difference_cents != 0


@dataclass(frozen=True)
class OrderPriceCheck:
    order_id: int
    revision: int  # the lines checked: the order's current revision
    priced_at: datetime  # when the ERP priced the order (its submission, revision 1)
    day: date  # priced_at as the portal's day: the day whose contract counts
    currency: str
    lines: list[LineCheck] = field(default_factory=list)

    @property
    def mismatches(self) -> list[LineCheck]:
        return [line for line in self.lines if line.mismatch]


@dataclass(frozen=True)
class CartPriceCheck:
    user_id: int
    day: date
    lines: list[PriceCheck] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)  # SKUs the ERP no longer sells


def price_check(
    session: Session,
    principal: SellerAgent,
    *,
    erp: ErpClient,
    company_id: object,
    sku: object,
    quantity: object = 1,
    day: date | None = None,
) -> PriceCheck:
    """The price the customer sees for ``quantity`` pieces on ``day`` (today by default),
    where it comes from, the list price and every contract row of the product."""
    principal.require(StaffPermission.VIEW)
    company = _company(session, company_id)
    amount = require(parse_quantity(quantity), "quantity", "prices.error.quantity")
    wanted = require(_clean_sku(sku), "sku", "prices.error.sku")
    on = day or local_today()
    number = company.customer_number
    try:
        offer = erp.get_offers(number, [wanted], quantities={wanted: amount}, day=on).get(wanted)
        terms = tuple(erp.list_contract_prices(number, wanted)) if offer else ()
    except ErpUnavailable as error:
        raise ServiceError(ERP_UNAVAILABLE) from error
    offer = require(offer, "sku", "prices.error.unknown_sku", sku=wanted)
    _audit(session, principal, company, "product", wanted, quantity=amount, day=on.isoformat())
    return _check(offer, amount, on, terms)


def order_price_check(
    session: Session,
    principal: SellerAgent,
    *,
    erp: ErpClient,
    company_id: object,
    order_id: object,
) -> OrderPriceCheck:
    """Each line of the order as it stands: its stored unit price, the contract valid when the
    order was priced (for the line's quantity) and whether they differ."""
    principal.require(StaffPermission.VIEW)
    company = _company(session, company_id)
    order = _order(session, company, order_id)
    rows = _lines(session, order)
    priced_at = _priced_at(session, order)
    on = local_day(priced_at)
    offers = _offers(erp, company, [(row.sku, row.quantity) for row in rows], on)
    lines = [_line_check(row, order.currency, offers.get(row.sku.upper())) for row in rows]
    assert order.id is not None
    result = OrderPriceCheck(order.id, order.revision, priced_at, on, order.currency, lines)
    _audit(session, principal, company, "order", order.id, mismatches=len(result.mismatches))
    return result


def cart_price_check(
    session: Session,
    principal: SellerAgent,
    *,
    erp: ErpClient,
    company_id: object,
    user_id: object,
    day: date | None = None,
) -> CartPriceCheck:
    """The prices the user's cart shows on ``day`` (today by default), each line's quantity
    with the customer's contract (a cart stores no prices: there is nothing to mismatch)."""
    principal.require(StaffPermission.VIEW)
    company = _company(session, company_id)
    user = _user(session, company, user_id)
    items = list(
        session.exec(
            select(CartItem)
            .where(CartItem.user_id == user.id, CartItem.company_id == company.id)
            .order_by(col(CartItem.added_at), col(CartItem.id))
        )
    )
    on = day or local_today()
    offers = _offers(erp, company, [(item.sku, item.quantity) for item in items], on)
    lines, unavailable = [], []
    for item in items:
        offer = offers.get(item.sku.upper())
        if offer is None:
            unavailable.append(item.sku)
        else:
            lines.append(_check(offer, item.quantity, on, ()))
    assert user.id is not None
    _audit(session, principal, company, "cart", user.id, day=on.isoformat())
    return CartPriceCheck(user.id, on, lines, unavailable)


def _offers(
    erp: ErpClient, company: Company, lines: list[tuple[str, int]], day: date
) -> dict[str, ErpProductOffer]:
    """The customer's offers for these (SKU, quantity) lines on ``day``, by upper-case SKU."""
    try:
        offers = erp.get_offers(
            company.customer_number,
            [sku for sku, _quantity in lines],
            quantities={sku.upper(): quantity for sku, quantity in lines},
            day=day,
        )
    except ErpUnavailable as error:
        raise ServiceError(ERP_UNAVAILABLE) from error
    if any(isinstance(offer, CachedOffer) for offer in offers.values()):
        raise ServiceError(ERP_UNAVAILABLE)  # a price check compares with the ERP's price now
    return offers


def _id(value: object) -> int | None:
    if type(value) is int:
        return value if 0 < value <= MAX_ID else None
    return parse_id(value)


def _clean_sku(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    sku = value.strip().upper()
    return sku if 0 < len(sku) <= SKU_MAX else None


def _company(session: Session, company_id: object) -> Company:
    key = _id(company_id)
    company = session.get(Company, key) if key is not None else None
    if company is None:
        raise ServiceError(NOT_FOUND)
    return company


def _order(session: Session, company: Company, order_id: object) -> Order:
    key = _id(order_id)
    order = session.get(Order, key) if key is not None else None
    if order is None or order.company_id != company.id or order.submitted_at is None:
        raise ServiceError(NOT_FOUND)
    return order


def _user(session: Session, company: Company, user_id: object) -> User:
    key = _id(user_id)
    user = session.get(User, key) if key is not None else None
    if user is None or user.company_id != company.id:
        raise ServiceError(NOT_FOUND)
    return user


def _lines(session: Session, order: Order) -> list[OrderLine]:
    query = (
        select(OrderLine)
        .where(OrderLine.order_id == order.id, OrderLine.revision == order.revision)
        .order_by(col(OrderLine.position))
    )
    return list(session.exec(query))


def _priced_at(session: Session, order: Order) -> datetime:
    """When the ERP priced the order: its first revision (later ones keep the prices)."""
    query = select(OrderRevision.created_at).where(
        OrderRevision.order_id == order.id, OrderRevision.number == 1
    )
    first = session.exec(query).first()
    return first or order.submitted_at or order.created_at


def _check(
    offer: ErpProductOffer, quantity: int, day: date, terms: tuple[ErpPrice, ...]
) -> PriceCheck:
    product = offer.product
    return PriceCheck(
        sku=product.sku,
        name=product.name,
        unit=product.unit,
        quantity=quantity,
        day=day,
        quote=offer.quote,
        list_price=product.list_price,
        list_currency=product.currency,
        terms=terms,
    )


def _line_check(row: OrderLine, currency: str, offer: ErpProductOffer | None) -> LineCheck:
    return LineCheck(
        position=row.position,
        sku=row.sku,
        name=row.name,
        quantity=row.quantity,
        stored_cents=row.unit_price_cents,
        stored_currency=currency,
        quote=offer.quote if offer else None,
        list_price=offer.product.list_price if offer else None,
        list_currency=offer.product.currency if offer else "",
    )


def _audit(
    session: Session,
    principal: SellerAgent,
    company: Company,
    target_type: str,
    target_id: object,
    **after: Any,
) -> None:
    """The look, in the customer's audit log, attributed to the agent."""
    audit.record(
        session,
        ACTION,
        company_id=company.id,
        by=principal.attribution,
        target_type=target_type,
        target_id=target_id,
        after=after,
    )
