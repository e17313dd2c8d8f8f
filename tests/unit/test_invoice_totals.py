"""The totals of an order as the invoice shows them: goods, shipping, VAT, gross."""

from __future__ import annotations

from decimal import Decimal

import pytest

from customer_center.domain.invoice_totals import invoice_totals, shipping_cents, tax_cents


@pytest.mark.parametrize(
    ("method", "goods", "expected"),
    [
        ("standard", 10_000, 990),
        ("standard", 24_999, 990),
        ("standard", 25_000, 0),  # free from 250.00 net
        ("express", 99_999, 2490),
        ("express", 100_000, 0),
        ("freight", 249_999, 8900),
        ("pickup", 500, 0),
        ("standard", 0, 0),  # nothing to ship
        ("carrier-pigeon", 100, 990),  # an unknown method costs what standard costs
    ],
)
def test_shipping_depends_on_method_and_goods_value(method: str, goods: int, expected: int) -> None:
    assert shipping_cents(method, goods) == expected


def test_vat_is_taxed_once_on_goods_and_shipping_and_rounded_half_up() -> None:
    totals = invoice_totals(
        2235, shipping_method="standard", vat_rate=Decimal("19.00"), currency="EUR"
    )
    assert (totals.goods_cents, totals.shipping_cents, totals.net_cents) == (2235, 990, 3225)
    [vat] = totals.vat
    assert (vat.rate, vat.base_cents, vat.tax_cents) == (Decimal("19.00"), 3225, 613)  # 612.75
    assert totals.gross_cents == 3838


def test_a_customer_without_vat_pays_net() -> None:
    totals = invoice_totals(
        30_000, shipping_method="standard", vat_rate=Decimal("0"), currency="EUR"
    )
    assert (totals.shipping_cents, totals.tax_cents, totals.gross_cents) == (0, 0, 30_000)


def test_an_empty_order_has_no_vat_line() -> None:
    totals = invoice_totals(0, shipping_method="express", vat_rate=Decimal("19"), currency="EUR")
    assert totals.vat == () and totals.gross_cents == 0


def test_tax_rounds_half_up_to_the_cent() -> None:
    assert tax_cents(250, Decimal("7")) == 18  # 17.5
    assert tax_cents(1, Decimal("19")) == 0  # 0.19
