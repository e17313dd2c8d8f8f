"""Amounts in cents as the reader writes money: ``€1,224.00`` / ``1.224,00 €``."""

from __future__ import annotations

from decimal import Decimal

from customer_center.i18n.formatting import format_money


def money(cents: int, currency: str, lang: str) -> str:
    return format_money(Decimal(cents) / 100, currency, lang)
