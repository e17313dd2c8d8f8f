"""A user's cart: add, change, remove, clear; the priced view with the budget situation.

One cart per user (``CartItem`` unique per user and SKU). The cart stores only SKUs and
quantities: prices always come from the ERP when the cart is shown and when the order is
placed, so a price change in the ERP never leaves a stale price behind. Every change needs
``orders.create``, checked here, and touches only the principal's own rows. The cart's size is
bounded (:data:`MAX_CART_LINES`), so it is read whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from customer_center.domain import inputs
from customer_center.domain.budgets import LimitBreach, OrderFigures, limit_breaches
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_LINE_QUANTITY
from customer_center.domain.invoice_totals import InvoiceTotals, invoice_totals
from customer_center.domain.orders import price_cents
from customer_center.domain.permissions import Permission
from customer_center.domain.prices import PriceQuote
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import CachedOffer, ErpClient, ErpUnavailable
from customer_center.models.order import CartItem
from customer_center.models.user import User
from customer_center.services.people.budgets import BudgetSituation, budget_situation
from customer_center.services.shop.catalogue import (
    ERP_UNAVAILABLE,
    clean_sku,
    company_customer_number,
    offers_for,
)
from customer_center.services.shop.invoice_preview import DEFAULT_SHIPPING, vat_rate_of

MAX_CART_LINES = 100
QUANTITY_ERROR = "shop.error.quantity"


def parse_quantity(value: object, field_name: str = "quantity") -> int:
    """A whole number from 1 to :data:`MAX_LINE_QUANTITY`, typed or sent as a number."""
    number = inputs.parse_quantity(value)
    if number is None:
        raise ServiceError(QUANTITY_ERROR, field=field_name, max=MAX_LINE_QUANTITY)
    return number


def lock_cart(session: Session, principal: CustomerUser) -> None:
    """Serialise changes to one user's cart until the transaction ends: two tabs adding the
    same product, or two checkouts of one cart, run one after the other.

    PostgreSQL: ``SELECT … FOR UPDATE`` of the user's row (the lock the budget check takes
    too, so the order of locks is always the same). SQLite ignores ``FOR UPDATE`` and its
    driver starts a transaction only at the first write, so a second checkout could read the
    cart before the first one emptied it: a write to the user's cart rows (changing nothing,
    even when there are none) takes SQLite's write lock first, and the cart is read after.
    """
    session.exec(
        select(User.id)
        .where(User.id == principal.user_id, User.company_id == principal.company_id)
        .with_for_update()
    ).first()
    session.exec(
        update(CartItem)
        .where(col(CartItem.user_id) == principal.user_id)
        .values(quantity=CartItem.quantity)
    )


def cart_items(session: Session, principal: CustomerUser) -> list[CartItem]:
    """The principal's own cart, oldest first."""
    return list(
        session.exec(
            select(CartItem)
            .where(
                CartItem.user_id == principal.user_id, CartItem.company_id == principal.company_id
            )
            .order_by(col(CartItem.added_at), col(CartItem.id))
        )
    )


def _item(session: Session, principal: CustomerUser, sku: str) -> CartItem | None:
    return session.exec(
        select(CartItem).where(
            CartItem.user_id == principal.user_id,
            CartItem.company_id == principal.company_id,
            CartItem.sku == sku.strip().upper(),
        )
    ).first()


def cart_count(session: Session, principal: CustomerUser) -> int:
    """How many products (lines) are in the principal's cart."""
    return int(
        session.exec(
            select(func.count())
            .select_from(CartItem)
            .where(
                CartItem.user_id == principal.user_id, CartItem.company_id == principal.company_id
            )
        ).one()
    )


def add_to_cart(
    session: Session, principal: CustomerUser, *, erp: ErpClient, sku: object, quantity: object
) -> int:
    """Put ``quantity`` of a product into the cart (adding to what is there); returns the
    line's new quantity. The product must be in the ERP's catalogue for the company."""
    principal.require(Permission.ORDERS_CREATE)
    amount = parse_quantity(quantity)
    wanted = clean_sku(sku)
    if not wanted:
        raise ServiceError("shop.error.unknown_product")
    try:
        offer = offers_for(erp, company_customer_number(session, principal), [wanted]).get(
            wanted.upper()
        )
    except ErpUnavailable as error:
        raise ServiceError(ERP_UNAVAILABLE) from error
    if offer is None:
        raise ServiceError("shop.error.unknown_product")
    lock_cart(session, principal)
    item = _item(session, principal, offer.product.sku)
    if item is not None:
        total = item.quantity + amount
        if total > MAX_LINE_QUANTITY:
            raise ServiceError("shop.error.quantity_total", field="quantity", max=MAX_LINE_QUANTITY)
        item.quantity = total
    else:
        if cart_count(session, principal) >= MAX_CART_LINES:
            raise ServiceError("shop.error.cart_full", max=MAX_CART_LINES)
        item = CartItem(
            company_id=principal.company_id,
            user_id=principal.user_id,
            sku=offer.product.sku.upper(),
            quantity=amount,
        )
    session.add(item)
    session.flush()
    return item.quantity


def set_quantity(
    session: Session, principal: CustomerUser, *, sku: object, quantity: object
) -> None:
    """Change the quantity of a product already in the cart."""
    principal.require(Permission.ORDERS_CREATE)
    amount = parse_quantity(quantity)
    lock_cart(session, principal)
    item = _item(session, principal, clean_sku(sku)) if clean_sku(sku) else None
    if item is None:
        raise ServiceError("shop.error.not_in_cart")
    item.quantity = amount
    session.add(item)


def remove_item(session: Session, principal: CustomerUser, *, sku: object) -> None:
    """Take a product out of the cart; one that is not there is already gone."""
    principal.require(Permission.ORDERS_CREATE)
    item = _item(session, principal, clean_sku(sku)) if clean_sku(sku) else None
    if item is not None:
        session.delete(item)


def clear_cart(session: Session, principal: CustomerUser) -> None:
    principal.require(Permission.ORDERS_CREATE)
    empty_cart(session, principal)


def empty_cart(session: Session, principal: CustomerUser) -> None:
    """Delete the principal's cart without a rights check: for the checkout, which checked."""
    session.exec(
        delete(CartItem).where(
            col(CartItem.user_id) == principal.user_id,
            col(CartItem.company_id) == principal.company_id,
        )
    )


@dataclass(frozen=True)
class CartLine:
    sku: str
    name: str
    unit: str
    quantity: int
    unit_price_cents: int | None  # None: no price (the ERP is down or no longer sells it)
    line_total_cents: int | None
    currency: str
    is_customer_price: bool
    available: bool  # False: the ERP's catalogue no longer has this product
    is_cached: bool = False  # the last known price: the ERP is not answering right now
    quote: PriceQuote | None = None  # where the price comes from (contract, valid until, list)
    list_price: Decimal | None = None  # the ERP's list price, to compare a contract price with


@dataclass(frozen=True)
class CartView:
    lines: list[CartLine]
    total_quantity: int
    total_cents: int
    currency: str
    prices_known: bool  # False while the ERP cannot be reached
    situation: BudgetSituation
    breaches: list[LimitBreach] = field(default_factory=list)
    # Goods, shipping (standard until the checkout chooses), VAT and gross as the invoice
    # will show them; None while the ERP cannot say the tax rate. Budgets count total_cents.
    totals: InvoiceTotals | None = None

    @property
    def has_unavailable(self) -> bool:
        return any(not line.available for line in self.lines)


def cart_view(
    session: Session, principal: CustomerUser, *, erp: ErpClient, today: date | None = None
) -> CartView:
    """The cart priced by the ERP now (one call for all SKUs), its totals, the user's budget
    situation and the limits this cart would exceed if it were ordered as it is."""
    principal.require(Permission.ORDERS_CREATE)
    items = cart_items(session, principal)
    situation = budget_situation(session, principal, user_id=principal.user_id, today=today)
    customer = company_customer_number(session, principal)
    try:
        offers = offers_for(
            erp,
            customer,
            [i.sku for i in items],
            quantities={i.sku: i.quantity for i in items},
            day=today,
        )
        prices_known = True
    except ErpUnavailable:
        offers, prices_known = {}, False
    lines = []
    for item in items:
        offer = offers.get(item.sku.upper())
        unit_cents = price_cents(offer.price) if offer else None
        lines.append(
            CartLine(
                sku=item.sku,
                name=offer.product.name if offer else item.sku,
                unit=offer.product.unit if offer else "",
                quantity=item.quantity,
                unit_price_cents=unit_cents,
                line_total_cents=None if unit_cents is None else unit_cents * item.quantity,
                currency=offer.currency if offer else situation.currency,
                is_customer_price=bool(offer and offer.is_customer_price),
                available=offer is not None or not prices_known,
                is_cached=isinstance(offer, CachedOffer),
                quote=offer.quote if offer else None,
                list_price=offer.product.list_price if offer else None,
            )
        )
    total_quantity = sum(line.quantity for line in lines)
    total_cents = sum(line.line_total_cents or 0 for line in lines)
    breaches = (
        limit_breaches(
            OrderFigures(total_quantity, total_cents), situation.limits, situation.spending
        )
        if prices_known and lines
        else []
    )
    rate = vat_rate_of(erp, customer) if prices_known and lines else None
    return CartView(
        lines=lines,
        total_quantity=total_quantity,
        total_cents=total_cents,
        currency=situation.currency,
        prices_known=prices_known,
        situation=situation,
        breaches=breaches,
        totals=None
        if rate is None
        else invoice_totals(
            total_cents,
            shipping_method=DEFAULT_SHIPPING,
            vat_rate=rate,
            currency=situation.currency,
        ),
    )


def cart_quantities(session: Session, principal: CustomerUser) -> dict[str, int]:
    """What the principal's cart holds now, by canonical SKU."""
    return {item.sku.upper(): item.quantity for item in cart_items(session, principal)}


def put_many(session: Session, principal: CustomerUser, *, quantities: dict[str, int]) -> int:
    """Add several checked lines at once (quick order, order again, shopping lists): each
    quantity adds to what the cart holds. The caller has checked the SKUs against the ERP and
    the bounds (:data:`MAX_LINE_QUANTITY` per line, :data:`MAX_CART_LINES`); they are checked
    again here under the cart's lock, and nothing is added when one would break them.
    Returns how many lines were added or raised."""
    principal.require(Permission.ORDERS_CREATE)
    lock_cart(session, principal)
    items = {item.sku.upper(): item for item in cart_items(session, principal)}
    new = [sku for sku in quantities if sku.upper() not in items]
    if len(items) + len(new) > MAX_CART_LINES:
        raise ServiceError("shop.error.cart_full", max=MAX_CART_LINES)
    for sku, amount in quantities.items():
        item = items.get(sku.upper())
        total = (item.quantity if item else 0) + amount
        if amount < 1 or total > MAX_LINE_QUANTITY:
            raise ServiceError("shop.error.quantity_total", field="quantity", max=MAX_LINE_QUANTITY)
        if item is None:
            item = CartItem(
                company_id=principal.company_id,
                user_id=principal.user_id,
                sku=sku.upper(),
                quantity=total,
            )
        item.quantity = total
        session.add(item)
    session.flush()
    return len(quantities)
