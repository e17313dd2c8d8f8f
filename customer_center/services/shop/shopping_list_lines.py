"""A shopping list's lines: the list with today's prices, adding (from the catalogue, the cart
or an order), changing, removing, and putting the whole list or chosen lines into the cart.

Reading and putting into the cart: whoever sees the list (its owner and those it is shared
with). Changing: its owner only. A list holds at most :data:`MAX_LIST_LINES` products, so it
is read whole; prices come from the ERP in one call, never stored on the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_LINE_QUANTITY
from customer_center.domain.order_lines import EnteredLine
from customer_center.domain.orders import price_cents
from customer_center.domain.principals import CustomerUser
from customer_center.domain.shopping_lists import MAX_LIST_LINES, Sharing
from customer_center.integrations.erp.protocol import ErpClient, ErpUnavailable
from customer_center.models.shopping_list import ShoppingList, ShoppingListLine
from customer_center.models.user import Role, User
from customer_center.services.orders.access import seen_order
from customer_center.services.orders.reorder import past_lines
from customer_center.services.shop.cart import cart_items, parse_quantity
from customer_center.services.shop.catalogue import (
    ERP_UNAVAILABLE,
    clean_sku,
    company_customer_number,
    offers_for,
)
from customer_center.services.shop.quick_order import QuickOrderCheck, add_lines
from customer_center.services.shop.shopping_lists import own_list, touch, visible_list


@dataclass(frozen=True)
class ListLineView:
    sku: str
    name: str
    unit: str
    quantity: int
    unit_price_cents: int | None
    currency: str
    available: bool


@dataclass(frozen=True)
class ListDetail:
    id: int
    name: str
    owner: str
    is_own: bool
    sharing: Sharing
    role_id: int | None
    role_name: str
    lines: list[ListLineView]
    prices_known: bool


def _rows(session: Session, row: ShoppingList) -> list[ShoppingListLine]:
    return list(
        session.exec(
            select(ShoppingListLine)
            .where(ShoppingListLine.list_id == row.id)
            .order_by(col(ShoppingListLine.added_at), col(ShoppingListLine.id))
        )
    )


def list_detail(
    session: Session, principal: CustomerUser, *, list_id: object, erp: ErpClient
) -> ListDetail:
    """The list with its lines priced for the principal's company today."""
    row = visible_list(session, principal, list_id=list_id)
    lines = _rows(session, row)
    try:
        offers = offers_for(
            erp,
            company_customer_number(session, principal),
            [line.sku for line in lines],
            quantities={line.sku: line.quantity for line in lines},
        )
        known = True
    except ErpUnavailable:
        offers, known = {}, False
    owner = session.get(User, row.owner_id)
    role = session.get(Role, row.role_id) if row.role_id else None
    views = []
    for line in lines:
        offer = offers.get(line.sku.upper())
        views.append(
            ListLineView(
                sku=line.sku,
                name=offer.product.name if offer else line.sku,
                unit=offer.product.unit if offer else "",
                quantity=line.quantity,
                unit_price_cents=price_cents(offer.price) if offer else None,
                currency=offer.currency if offer else "",
                available=offer is not None or not known,
            )
        )
    return ListDetail(
        id=row.id or 0,
        name=row.name,
        owner=owner.name if owner else "",
        is_own=row.owner_id == principal.user_id,
        sharing=Sharing(row.shared_with),
        role_id=row.role_id,
        role_name=role.name if role and role.company_id == principal.company_id else "",
        lines=views,
        prices_known=known,
    )


def add_many(
    session: Session, principal: CustomerUser, *, list_id: object, quantities: Mapping[str, int]
) -> int:
    """Add products to the owner's list, each quantity adding to the line there; all or
    nothing within the bounds. Returns how many products the list holds now."""
    row = own_list(session, principal, list_id=list_id)
    existing = {line.sku.upper(): line for line in _rows(session, row)}
    new = {sku.upper() for sku in quantities} - set(existing)
    if len(existing) + len(new) > MAX_LIST_LINES:
        raise ServiceError("lists.error.full", "sku", max=MAX_LIST_LINES)
    for sku, amount in quantities.items():
        line = existing.get(sku.upper())
        total = (line.quantity if line else 0) + amount
        if amount < 1 or total > MAX_LINE_QUANTITY:
            raise ServiceError("shop.error.quantity_total", "quantity", max=MAX_LINE_QUANTITY)
        if line is None:
            line = ShoppingListLine(list_id=row.id or 0, sku=sku.upper(), quantity=total)
            existing[sku.upper()] = line
        line.quantity = total
        session.add(line)
    touch(row, principal)
    session.add(row)
    session.flush()
    return len(existing)


def add_product(
    session: Session,
    principal: CustomerUser,
    *,
    list_id: object,
    erp: ErpClient,
    sku: object,
    quantity: object,
) -> int:
    """One product (from the catalogue or typed on the list): it must be in the catalogue."""
    own_list(session, principal, list_id=list_id)
    amount = parse_quantity(quantity)
    wanted = clean_sku(sku)
    try:
        offer = (
            offers_for(erp, company_customer_number(session, principal), [wanted]).get(
                wanted.upper()
            )
            if wanted
            else None
        )
    except ErpUnavailable as error:
        raise ServiceError(ERP_UNAVAILABLE) from error
    if offer is None:
        raise ServiceError("shop.error.unknown_product", "sku")
    return add_many(
        session, principal, list_id=list_id, quantities={offer.product.sku.upper(): amount}
    )


def add_cart(session: Session, principal: CustomerUser, *, list_id: object) -> int:
    """Everything in the principal's cart, added to the list."""
    items = cart_items(session, principal)
    if not items:
        raise ServiceError("lists.error.nothing_to_add")
    quantities = {item.sku.upper(): item.quantity for item in items}
    return add_many(session, principal, list_id=list_id, quantities=quantities)


def add_order(
    session: Session, principal: CustomerUser, *, list_id: object, order_id: object
) -> int:
    """An order's current lines (one the principal may see), added to the list."""
    own_list(session, principal, list_id=list_id)
    order = seen_order(session, principal, order_id=order_id)
    quantities: dict[str, int] = {}
    for line in past_lines(session, order):
        sku = line.sku.upper()
        quantities[sku] = min(quantities.get(sku, 0) + line.quantity, MAX_LINE_QUANTITY)
    if not quantities:
        raise ServiceError("lists.error.nothing_to_add")
    return add_many(session, principal, list_id=list_id, quantities=quantities)


def set_quantity(
    session: Session, principal: CustomerUser, *, list_id: object, sku: object, quantity: object
) -> None:
    row = own_list(session, principal, list_id=list_id)
    amount = parse_quantity(quantity)
    line = _line(session, row, sku)
    line.quantity = amount
    touch(row, principal)
    session.add_all([line, row])


def remove_line(session: Session, principal: CustomerUser, *, list_id: object, sku: object) -> None:
    row = own_list(session, principal, list_id=list_id)
    session.delete(_line(session, row, sku))
    touch(row, principal)
    session.add(row)


def _line(session: Session, row: ShoppingList, sku: object) -> ShoppingListLine:
    wanted = clean_sku(sku).upper()
    line = session.exec(
        select(ShoppingListLine).where(
            ShoppingListLine.list_id == row.id, ShoppingListLine.sku == wanted
        )
    ).first()
    if line is None:
        raise ServiceError("lists.error.no_such_line")
    return line


def to_cart(
    session: Session,
    principal: CustomerUser,
    *,
    list_id: object,
    erp: ErpClient,
    skus: object = None,
) -> QuickOrderCheck:
    """The whole list (``skus`` None) or the chosen lines into the cart, checked like a quick
    order: what the catalogue no longer has or the cart cannot take is reported, not added.
    SKUs the list does not hold are ignored."""
    row = visible_list(session, principal, list_id=list_id)
    chosen = None
    if skus is not None:
        picked = skus[:MAX_LIST_LINES] if isinstance(skus, list) else []
        chosen = {clean_sku(s).upper() for s in picked}
    lines = [line for line in _rows(session, row) if chosen is None or line.sku in chosen]
    if not lines:
        raise ServiceError("lists.error.nothing_chosen")
    entered = [EnteredLine(n, line.sku, line.quantity) for n, line in enumerate(lines, start=1)]
    return add_lines(session, principal, erp=erp, lines=entered)
