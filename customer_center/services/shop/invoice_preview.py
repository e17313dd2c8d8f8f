"""The totals a buyer will find on the invoice, shown before and after ordering: goods,
shipping, VAT per rate, gross (the rule: ``domain/invoice_totals.py``; the ERP's tax rate
for the customer). The embedded ERP's invoice PDF applies the same rule to the same figures.

Budgets keep counting the net goods value (``total_cents``), see the rule's module doc.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from customer_center.domain.invoice_totals import InvoiceTotals, invoice_totals
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import ErpClient, ErpUnavailable
from customer_center.services.orders.access import seen_order
from customer_center.services.shop.catalogue import company_customer_number

DEFAULT_SHIPPING = "standard"  # what the checkout preselects, so the cart shows it too


@dataclass(frozen=True)
class OrderTotals:
    totals: InvoiceTotals
    shipping_method: str


def vat_rate_of(erp: ErpClient, customer_number: str) -> Decimal | None:
    """The customer's VAT rate from the ERP; ``None`` while it cannot be reached."""
    try:
        return erp.get_vat_rate(customer_number)
    except ErpUnavailable:
        return None


def order_totals(
    session: Session, principal: CustomerUser, *, erp: ErpClient, order_id: object
) -> OrderTotals | None:
    """The invoice totals of an order the principal may see (its current revision);
    ``None`` while the ERP cannot say the tax rate."""
    order = seen_order(session, principal, order_id=order_id)
    rate = order.vat_rate  # as placed; older orders ask the ERP
    if rate is None:
        rate = vat_rate_of(erp, company_customer_number(session, principal))
    if rate is None:
        return None
    method = order.shipping_method or DEFAULT_SHIPPING
    totals = invoice_totals(
        order.total_cents, shipping_method=method, vat_rate=rate, currency=order.currency
    )
    return OrderTotals(totals, method)
