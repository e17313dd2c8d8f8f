"""The contract price check in words: a quote ("Contract price €7.45 valid Jan 1, 2026 –
Dec 31, 2026 (from 10 pieces)"), the contract rows of a product, and the lines of an order or
cart with their mismatch flags, as small dicts of strings for the seller's pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from customer_center.domain.prices import PriceQuote, PriceSource
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day, format_money
from customer_center.i18n.wording import money
from customer_center.integrations.erp.protocol import ErpPrice
from customer_center.services.seller.prices import (
    CartPriceCheck,
    LineCheck,
    OrderPriceCheck,
    PriceCheck,
)


def source_label(source: PriceSource, lang: str) -> str:
    """ "List price", "Contract price" or "Quantity break"."""
    return translate(lang, f"prices.source.{source.value}")


def validity_text(valid_from: date | None, valid_to: date | None, lang: str) -> str:
    """ "valid Jan 1, 2026 – Dec 31, 2026", "valid from …", "valid until …" or "without time
    limit"."""
    if valid_from and valid_to:
        start, end = format_day(valid_from, lang), format_day(valid_to, lang)
        return translate(lang, "prices.validity.between", start=start, end=end)
    if valid_from:
        return translate(lang, "prices.validity.from", start=format_day(valid_from, lang))
    if valid_to:
        return translate(lang, "prices.validity.until", end=format_day(valid_to, lang))
    return translate(lang, "prices.validity.open")


def price_origin(quote: PriceQuote, lang: str, list_price: Decimal | None = None) -> str:
    """Where a buyer's price comes from, to check against the contract: "List price",
    "Contract price, valid from Jan 1, 2026 · list price €8.90", "Quantity break from 100
    pieces, …"."""
    label = source_label(quote.source, lang)
    if quote.source is PriceSource.LIST:
        return label
    if quote.source is PriceSource.QUANTITY_BREAK and quote.min_quantity:
        label = translate(lang, "invoice.quantity_break", count=quote.min_quantity)
    text = f"{label}, {validity_text(quote.valid_from, quote.valid_to, lang)}"
    if list_price is None:
        return text
    listed = format_money(list_price, quote.currency, lang)
    return f"{text} · {translate(lang, 'invoice.list_price', amount=listed)}"


def quote_text(quote: PriceQuote, lang: str) -> str:
    """The price and where it comes from, in one sentence."""
    amount = format_money(quote.amount, quote.currency, lang)
    if quote.source is PriceSource.LIST:
        return translate(lang, "prices.quote.list", amount=amount)
    validity = validity_text(quote.valid_from, quote.valid_to, lang)
    if quote.source is PriceSource.QUANTITY_BREAK:
        return translate(
            lang,
            "prices.quote.quantity_break",
            amount=amount,
            validity=validity,
            count=quote.min_quantity,
        )
    return translate(lang, "prices.quote.contract", amount=amount, validity=validity)


def term_state(term: ErpPrice, day: date) -> str:
    """``ended``, ``current`` or ``future`` on ``day``."""
    if term.valid_to is not None and term.valid_to < day:
        return "ended"
    if term.valid_from is not None and day < term.valid_from:
        return "future"
    return "current"


def term_row(term: ErpPrice, day: date, lang: str) -> dict[str, str]:
    """One contract row: its price, validity, minimum quantity and whether it is valid."""
    state = term_state(term, day)
    source = PriceSource.QUANTITY_BREAK if term.min_quantity > 1 else PriceSource.CONTRACT
    quote = PriceQuote(
        term.price, term.currency, source, term.valid_from, term.valid_to, term.min_quantity
    )
    return {
        "text": quote_text(quote, lang),
        "min_quantity": str(term.min_quantity),
        "state": state,
        "state_text": translate(lang, f"prices.term.{state}"),
    }


def price_check_view(check: PriceCheck, lang: str) -> dict[str, Any]:
    """A product's price for the customer: the quote, its source, the list price, the rows."""
    return {
        "sku": check.sku,
        "name": check.name,
        "quantity": str(check.quantity),
        "day": format_day(check.day, lang),
        "price": format_money(check.quote.amount, check.quote.currency, lang),
        "source": check.quote.source.value,
        "source_text": source_label(check.quote.source, lang),
        "quote_text": quote_text(check.quote, lang),
        "list_price_text": _list_price(check.list_price, check.list_currency, lang),
        "terms": [term_row(term, check.day, lang) for term in check.terms],
    }


def line_text(line: LineCheck, day: date, lang: str) -> str:
    """Whether an order line matches the contract of ``day``, with the figures if not."""
    when = format_day(day, lang)
    if line.quote is None:
        return translate(lang, "prices.line.unknown")
    if not line.mismatch:
        return translate(lang, "prices.line.match", day=when)
    if line.difference_cents is None:
        return translate(
            lang,
            "prices.line.mismatch.currency",
            stored_currency=line.stored_currency,
            currency=line.quote.currency,
            day=when,
        )
    direction = "more" if line.difference_cents > 0 else "less"
    return translate(
        lang,
        f"prices.line.mismatch.{direction}",
        stored=money(line.stored_cents, line.stored_currency, lang),
        expected=format_money(line.quote.amount, line.quote.currency, lang),
        difference=money(abs(line.difference_cents), line.stored_currency, lang),
        day=when,
    )


def order_check_view(check: OrderPriceCheck, lang: str) -> dict[str, Any]:
    """Every line of the order with its stored and contracted price; mismatches flagged."""
    mismatches = len(check.mismatches)
    summary = (
        translate(lang, "prices.order.summary.some", count=mismatches, total=len(check.lines))
        if mismatches
        else translate(lang, "prices.order.summary.none")
    )
    return {
        "order_id": str(check.order_id),
        "priced_on": translate(lang, "prices.order.priced_on", day=format_day(check.day, lang)),
        "summary": summary,
        "mismatches": str(mismatches),
        "lines": [_order_line(line, check, lang) for line in check.lines],
    }


def cart_check_view(check: CartPriceCheck, lang: str) -> dict[str, Any]:
    """The user's cart lines priced as the user sees them today."""
    unavailable = ""
    if check.unavailable:
        unavailable = translate(lang, "prices.cart.unavailable", skus=", ".join(check.unavailable))
    return {
        "day": format_day(check.day, lang),
        "lines": [price_check_view(line, lang) for line in check.lines],
        "unavailable": unavailable,
    }


def _order_line(line: LineCheck, check: OrderPriceCheck, lang: str) -> dict[str, str]:
    return {
        "position": str(line.position),
        "sku": line.sku,
        "name": line.name,
        "quantity": str(line.quantity),
        "stored": money(line.stored_cents, line.stored_currency, lang),
        "expected": quote_text(line.quote, lang) if line.quote else "",
        "list_price_text": (
            _list_price(line.list_price, line.list_currency, lang)
            if line.list_price is not None
            else ""
        ),
        "mismatch": "1" if line.mismatch else "",
        "text": line_text(line, check.day, lang),
    }


def _list_price(amount: Decimal, currency: str, lang: str) -> str:
    return translate(lang, "prices.list_price", amount=format_money(amount, currency, lang))
