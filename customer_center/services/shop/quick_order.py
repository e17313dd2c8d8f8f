"""Quick order: lines of SKUs and quantities, checked against the catalogue, then put into the
cart at once.

:func:`check_lines` checks every line before anything goes to the cart: the SKU must be in
the ERP's catalogue for the principal's company (one ERP call for all lines, priced for each
line's quantity: the customer's price), sold in the company's currency, the quantity within
bounds also together with the cart and the other lines of the same product, and the cart must
have room. :func:`add_lines` checks again (the browser's earlier check is never trusted) and
puts all good lines into the cart in one transaction; lines with a problem are left out and
reported. The text itself is parsed by :mod:`customer_center.domain.order_lines`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_LINE_QUANTITY
from customer_center.domain.order_lines import EnteredLine, LineProblem
from customer_center.domain.orders import price_cents
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import ErpClient, ErpProductOffer, ErpUnavailable
from customer_center.models.company import Company
from customer_center.services.shop.cart import MAX_CART_LINES, cart_quantities, put_many
from customer_center.services.shop.catalogue import ERP_UNAVAILABLE, company_customer_number


@dataclass(frozen=True)
class CheckedLine:
    line: int
    sku: str  # the catalogue's SKU when known, else as entered
    quantity: int | None
    problem: LineProblem | None
    written: str = ""  # the quantity as entered, when it could not be read
    name: str = ""
    unit: str = ""
    unit_price_cents: int | None = None
    currency: str = ""
    is_customer_price: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class QuickOrderCheck:
    lines: list[CheckedLine]
    added: int = 0  # lines put into the cart (by add_lines)

    @property
    def ok_count(self) -> int:
        return sum(1 for line in self.lines if line.ok)

    @property
    def problem_count(self) -> int:
        return len(self.lines) - self.ok_count


def _priced(entered: EnteredLine, offer: ErpProductOffer) -> CheckedLine:
    return CheckedLine(
        line=entered.line,
        sku=offer.product.sku.upper(),
        quantity=entered.quantity,
        problem=None,
        name=offer.product.name,
        unit=offer.product.unit,
        unit_price_cents=price_cents(offer.price),
        currency=offer.currency,
        is_customer_price=offer.is_customer_price,
    )


def _first_pass(
    entered: list[EnteredLine], offers: dict[str, ErpProductOffer], currency: str
) -> list[CheckedLine]:
    """Each line on its own: readable, in the catalogue, in the company's currency."""
    result = []
    for line in entered:
        offer = offers.get(line.sku.upper()) if line.problem is None else None
        if line.problem is not None:
            result.append(
                CheckedLine(line.line, line.sku, line.quantity, line.problem, line.written)
            )
        elif offer is None:
            result.append(CheckedLine(line.line, line.sku, line.quantity, LineProblem.UNKNOWN))
        elif offer.currency != currency:
            checked = _priced(line, offer)
            result.append(replace(checked, problem=LineProblem.NOT_ORDERABLE))
        else:
            result.append(_priced(line, offer))
    return result


def _with_cart(lines: list[CheckedLine], in_cart: dict[str, int]) -> list[CheckedLine]:
    """The lines together: a product's quantities (cart + lines) within the maximum, and no
    more products than the cart has room for (the first lines win)."""
    totals = dict(in_cart)
    room = MAX_CART_LINES - len(in_cart)
    result = []
    for line in lines:
        if not line.ok or line.quantity is None:
            result.append(line)
            continue
        is_new = line.sku not in totals
        if totals.get(line.sku, 0) + line.quantity > MAX_LINE_QUANTITY:
            result.append(replace(line, problem=LineProblem.QUANTITY_TOTAL))
        elif is_new and room <= 0:
            result.append(replace(line, problem=LineProblem.CART_FULL))
        else:
            room -= 1 if is_new else 0
            totals[line.sku] = totals.get(line.sku, 0) + line.quantity
            result.append(line)
    return result


def check_lines(
    session: Session, principal: CustomerUser, *, erp: ErpClient, lines: list[EnteredLine]
) -> QuickOrderCheck:
    """Every line with its problem or its product and the customer's price (see the module)."""
    principal.require(Permission.ORDERS_CREATE)
    company = session.get(Company, principal.company_id)
    if company is None:
        raise ServiceError("error.permission_denied")
    skus = [line.sku for line in lines if line.problem is None]
    wanted: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.problem is None and line.quantity is not None:
            wanted[line.sku.upper()] += line.quantity
    try:
        offers = erp.get_offers(
            company_customer_number(session, principal),
            sorted({sku.upper() for sku in skus}),
            quantities=dict(wanted),
        )
    except ErpUnavailable as error:
        raise ServiceError(ERP_UNAVAILABLE) from error
    checked = _first_pass(lines, offers, company.currency)
    return QuickOrderCheck(_with_cart(checked, cart_quantities(session, principal)))


def add_lines(
    session: Session, principal: CustomerUser, *, erp: ErpClient, lines: list[EnteredLine]
) -> QuickOrderCheck:
    """Check the lines again and put every good one into the cart at once."""
    check = check_lines(session, principal, erp=erp, lines=lines)
    quantities: dict[str, int] = defaultdict(int)
    for line in check.lines:
        if line.ok and line.quantity is not None:
            quantities[line.sku] += line.quantity
    if quantities:
        put_many(session, principal, quantities=dict(quantities))
    return replace(check, added=check.ok_count)
