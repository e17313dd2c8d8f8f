"""The totals of an order as the invoice shows them: goods, shipping, VAT per rate, gross.

One rule, used everywhere an amount with tax and shipping is shown: the cart, the checkout,
the order page, the e-mails and the invoice PDF the embedded ERP writes. So the figures a
buyer sees before ordering are the figures on the invoice, to the cent.

- **Goods** are the sum of the line totals (net, in cents of the order's currency).
- **Shipping** depends on the shipping method and the goods value: each method has a flat
  charge and, for most, a goods value from which it is free (:data:`SHIPPING_RATES`).
- **VAT**: the ERP decides the rate per customer (e.g. 19 % in Germany, 0 % for an
  intra-community delivery or an export). Shipping is taxed at the rate of the goods it
  ships. VAT is computed once per rate on the sum of the net amounts at that rate and rounded
  half up to the cent, as invoices in Germany do it (never per line).
- **Gross** is goods + shipping + VAT.

Budgets count the **net goods value** (without shipping and VAT): that is what a company
plans to spend on products, and it does not change when the ERP's tax rate or the shipping
method does (see ``domain/budgets.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class ShippingRate:
    charge_cents: int
    free_from_cents: int | None  # goods value (net) from which shipping is free; None: never


# Keyed by the portal's shipping methods (``domain.orders.SHIPPING_METHODS``).
SHIPPING_RATES: dict[str, ShippingRate] = {
    "standard": ShippingRate(990, 25_000),
    "express": ShippingRate(2490, 100_000),
    "freight": ShippingRate(8900, 250_000),
    "pickup": ShippingRate(0, None),
}
DEFAULT_VAT_RATE = Decimal("19.00")


@dataclass(frozen=True)
class VatLine:
    rate: Decimal  # percent, e.g. Decimal("19.00")
    base_cents: int  # the net amount taxed at this rate (goods and shipping)
    tax_cents: int


@dataclass(frozen=True)
class InvoiceTotals:
    goods_cents: int
    shipping_cents: int
    vat: tuple[VatLine, ...]
    currency: str

    @property
    def net_cents(self) -> int:
        return self.goods_cents + self.shipping_cents

    @property
    def tax_cents(self) -> int:
        return sum(line.tax_cents for line in self.vat)

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.tax_cents


def shipping_cents(method: str, goods_cents: int) -> int:
    """The shipping charge for ``goods_cents`` of goods sent by ``method`` (unknown: standard)."""
    rate = SHIPPING_RATES.get(method, SHIPPING_RATES["standard"])
    if goods_cents <= 0:
        return 0
    if rate.free_from_cents is not None and goods_cents >= rate.free_from_cents:
        return 0
    return rate.charge_cents


def tax_cents(base_cents: int, rate: Decimal) -> int:
    """VAT on a net amount at ``rate`` percent, half up to the cent."""
    tax = Decimal(base_cents) * rate / Decimal(100)
    return int(tax.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def invoice_totals(
    goods_cents: int, *, shipping_method: str, vat_rate: Decimal, currency: str
) -> InvoiceTotals:
    """The invoice's totals for goods worth ``goods_cents`` net (see the module doc)."""
    shipping = shipping_cents(shipping_method, goods_cents)
    base = goods_cents + shipping
    vat = (VatLine(vat_rate, base, tax_cents(base, vat_rate)),) if base else ()
    return InvoiceTotals(goods_cents, shipping, vat, currency)
