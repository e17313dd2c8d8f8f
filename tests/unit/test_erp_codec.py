"""The ERP contract's JSON both ways: the fields added in 1.1 (catalogue facts, documents)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from customer_center.integrations.erp.http import codec
from customer_center.integrations.erp.protocol import DocumentFilter, ErpDocument, ErpProduct

BEARING = ErpProduct(
    sku="BRG-6205-2RS",
    name="Deep groove ball bearing 6205-2RS",
    description="Sealed",
    unit="pc",
    list_price=Decimal("8.90"),
    currency="EUR",
    datasheet_url=None,
    category="Bearings",
    stock=0,
    lead_days=7,
    image_url="/products/bearings.svg",
)


def test_a_product_with_its_catalogue_facts_travels_both_ways() -> None:
    data = codec.product_json(BEARING)
    assert data["list_price"] == "8.90" and data["stock"] == 0 and data["lead_days"] == 7
    assert codec.product_of(data) == BEARING


def test_a_product_from_an_erp_before_1_1_gets_the_defaults_and_unknown_fields_are_ignored():
    data = codec.product_json(BEARING)
    for added in ("category", "stock", "lead_days", "image_url"):
        del data[added]
    data["colour"] = "blue"  # a field this portal does not know
    product = codec.product_of(data)
    assert (product.category, product.stock, product.lead_days, product.image_url) == (
        "",
        None,
        None,
        None,
    )
    assert product.list_price == Decimal("8.90")


def test_a_document_and_a_filter_travel_both_ways() -> None:
    document = ErpDocument(
        "INV-SO-100001", "10001", "invoice", date(2026, 5, 4), "SO-100001", None, "Invoice", "EUR"
    )
    assert codec.document_of(codec.document_json(document)) == document
    wanted = DocumentFilter(
        kinds=("invoice", "credit_note"),
        issued_from=date(2026, 1, 1),
        issued_to=date(2026, 3, 31),
        order_number=" SO-100001 ",
    )
    params = codec.document_filter_params(wanted)
    assert params["kind"] == ["invoice", "credit_note"]
    kinds = params.pop("kind")
    assert isinstance(kinds, list)
    again = codec.document_filter_of(kinds, {k: str(v) for k, v in params.items()})
    assert again == DocumentFilter(
        kinds=wanted.kinds,
        issued_from=wanted.issued_from,
        issued_to=wanted.issued_to,
        order_number="SO-100001",
    )
    assert codec.document_filter_params(DocumentFilter()) == {}


def test_an_unknown_document_kind_or_day_is_refused() -> None:
    with pytest.raises(ValueError, match="receipt"):
        codec.document_filter_of(["invoice", "receipt"], {})
    with pytest.raises(ValueError):
        codec.document_filter_of([], {"issued_from": "yesterday"})


def test_a_vat_rate_of_zero_is_a_rate() -> None:
    data = codec.vat_rate_json("10002", Decimal("0.00"))
    assert data == {"customer_number": "10002", "vat_rate": "0.00"}
    assert codec.vat_rate_of(data) == Decimal("0.00")
