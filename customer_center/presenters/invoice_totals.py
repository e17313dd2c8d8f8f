"""Invoice totals in words: goods, shipping (with the method and when it is free), net, VAT
per rate and gross, as rows of label and amount for the cart, checkout and order page."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

from customer_center.domain.invoice_totals import SHIPPING_RATES, InvoiceTotals
from customer_center.domain.languages import normalize_language
from customer_center.i18n import translate
from customer_center.i18n.wording import money


def shipping_note(method: str, currency: str, lang: str) -> str:
    """ "Standard delivery, free from €250.00" / "Pick-up"."""
    name = translate(lang, f"orders.shipping.{method}")
    rate = SHIPPING_RATES.get(method)
    if rate is None or rate.free_from_cents is None:
        return name
    free_from = money(rate.free_from_cents, currency, lang)
    return translate(lang, "invoice.shipping_free_from", method=name, amount=free_from)


def rate_text(rate: Decimal, lang: str) -> str:
    """ "19 %" / "7,5 %": the rate as the reader writes numbers."""
    return f"{format_decimal(rate.normalize(), locale=normalize_language(lang))} %"


def totals_rows(totals: InvoiceTotals, shipping_method: str, lang: str) -> list[dict[str, str]]:
    """``label``, ``amount``, ``kind`` (goods, shipping, net, vat, gross) and ``note``."""
    currency = totals.currency

    def row(kind: str, label: str, cents: int, note: str = "") -> dict[str, str]:
        return {"kind": kind, "label": label, "amount": money(cents, currency, lang), "note": note}

    rows = [
        row("goods", translate(lang, "invoice.goods"), totals.goods_cents),
        row(
            "shipping",
            translate(lang, "invoice.shipping"),
            totals.shipping_cents,
            shipping_note(shipping_method, currency, lang),
        ),
        row("net", translate(lang, "invoice.net"), totals.net_cents),
    ]
    rows += [
        row("vat", translate(lang, "invoice.vat", rate=rate_text(v.rate, lang)), v.tax_cents)
        for v in totals.vat
    ]
    rows.append(row("gross", translate(lang, "invoice.gross"), totals.gross_cents))
    return rows
