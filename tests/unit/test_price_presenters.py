"""The price check in words, English and German."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from customer_center.domain.prices import PriceQuote, PriceSource
from customer_center.integrations.erp.protocol import ErpPrice
from customer_center.presenters import prices
from customer_center.services.seller.prices import (
    CartPriceCheck,
    LineCheck,
    OrderPriceCheck,
    PriceCheck,
)

YEAR_2026 = PriceQuote(
    Decimal("12.50"), "EUR", PriceSource.QUANTITY_BREAK, date(2026, 1, 1), date(2026, 12, 31), 10
)
CURRENT = PriceQuote(Decimal("7.45"), "EUR", PriceSource.CONTRACT, date(2026, 1, 1), None, 1)
LISTED = PriceQuote(Decimal("8.90"), "EUR", PriceSource.LIST)


def test_a_quantity_break_with_its_validity() -> None:
    assert prices.quote_text(YEAR_2026, "en") == (
        "Contract price €12.50 valid Jan 1, 2026 – Dec 31, 2026 (from 10 pieces)"
    )
    assert prices.quote_text(YEAR_2026, "de") == (
        "Vertragspreis 12,50\xa0€ gültig 01.01.2026 – 31.12.2026 (ab 10 Stück)"
    )


def test_contract_and_list_prices() -> None:
    assert prices.quote_text(CURRENT, "en") == "Contract price €7.45 valid from Jan 1, 2026"
    assert prices.quote_text(CURRENT, "de") == "Vertragspreis 7,45\xa0€ gültig ab 01.01.2026"
    assert prices.quote_text(LISTED, "en") == "List price €8.90"
    assert prices.quote_text(LISTED, "de") == "Listenpreis 8,90\xa0€"
    assert prices.validity_text(None, None, "de") == "unbefristet"
    assert prices.validity_text(None, date(2025, 12, 31), "en") == "valid until Dec 31, 2025"
    assert prices.source_label(PriceSource.QUANTITY_BREAK, "de") == "Staffelpreis"


def test_a_product_check_lists_the_rows_with_their_state() -> None:
    terms = (
        ErpPrice("B", "1", Decimal("7.90"), "EUR", date(2025, 1, 1), date(2025, 12, 31), 1),
        ErpPrice("B", "1", Decimal("7.45"), "EUR", date(2026, 1, 1), None, 1),
        ErpPrice("B", "1", Decimal("6.95"), "EUR", date(2027, 1, 1), None, 100),
    )
    check = PriceCheck(
        "B", "Bearing", "pc", 1, date(2026, 3, 2), CURRENT, Decimal("8.90"), "EUR", terms
    )
    view = prices.price_check_view(check, "en")
    assert (view["price"], view["source_text"], view["list_price_text"]) == (
        "€7.45",
        "Contract price",
        "List price €8.90",
    )
    assert [(t["state"], t["state_text"]) for t in view["terms"]] == [
        ("ended", "ended"),
        ("current", "valid"),
        ("future", "not yet valid"),
    ]
    assert (
        view["terms"][2]["text"] == "Contract price €6.95 valid from Jan 1, 2027 (from 100 pieces)"
    )
    german = prices.price_check_view(check, "de")
    assert [t["state_text"] for t in german["terms"]] == [
        "abgelaufen",
        "gültig",
        "noch nicht gültig",
    ]


def _line(stored: int, quote: PriceQuote | None, currency: str = "EUR") -> LineCheck:
    return LineCheck(1, "B", "Bearing", 10, stored, currency, quote, Decimal("8.90"), "EUR")


def test_an_order_line_that_does_not_match_is_flagged_with_the_difference() -> None:
    check = OrderPriceCheck(
        5,
        1,
        datetime(2026, 2, 10, 9, 30, tzinfo=UTC),
        date(2026, 2, 10),
        "EUR",
        [_line(790, CURRENT), _line(745, CURRENT)],
    )
    view = prices.order_check_view(check, "en")
    flagged, fine = view["lines"]
    assert (flagged["mismatch"], fine["mismatch"]) == ("1", "")
    assert flagged["text"] == (
        "Does not match: stored €7.90, but the contract valid on Feb 10, 2026 says €7.45 "
        "(€0.45 more per unit)."
    )
    assert fine["text"] == "Matches the contract valid on Feb 10, 2026."
    assert view["summary"] == (
        "1 of 2 lines does not match the contract valid when the order was placed."
    )
    assert view["priced_on"] == "Prices taken from the ERP on Feb 10, 2026"
    german = prices.order_check_view(check, "de")["lines"][0]["text"]
    assert german == (
        "Stimmt nicht überein: gespeichert 7,90\xa0€, laut dem am 10.02.2026 gültigen Vertrag "
        "aber 7,45\xa0€ (0,45\xa0€ mehr je Einheit)."
    )


def test_cheaper_other_currency_and_unknown_lines() -> None:
    day = date(2026, 2, 10)
    assert "(€0.05 less per unit)" in prices.line_text(_line(740, CURRENT), day, "en")
    assert prices.line_text(_line(740, CURRENT, "CHF"), day, "en") == (
        "Does not match: stored in CHF, but the contract valid on Feb 10, 2026 is in EUR."
    )
    assert prices.line_text(_line(740, None), day, "de") == (
        "Das ERP kennt dieses Produkt nicht mehr: Es gibt keinen Vertrag zum Vergleich."
    )
    every = OrderPriceCheck(5, 1, datetime(2026, 2, 10, tzinfo=UTC), day, "EUR", [])
    assert prices.order_check_view(every, "de")["summary"] == (
        "Jede Position entspricht dem Vertrag, der bei der Bestellung galt."
    )


def test_a_cart_check_names_what_is_no_longer_sold() -> None:
    line = PriceCheck(
        "B", "Bearing", "pc", 120, date(2026, 3, 2), YEAR_2026, Decimal("8.90"), "EUR"
    )
    view = prices.cart_check_view(CartPriceCheck(3, date(2026, 3, 2), [line], ["GONE-1"]), "en")
    assert view["unavailable"] == "No longer sold: GONE-1"
    assert view["lines"][0]["source_text"] == "Quantity break"
