"""The catalogue's facts from the ERP in words: stock and the earliest delivery day."""

from __future__ import annotations

from datetime import date

from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day


def availability_text(stock: int | None, delivery_on: date | None, lang: str) -> str:
    """ "240 in stock · delivery from Dec 7, 2026", "Not in stock · delivery from …", or ""."""
    if delivery_on is None:
        return ""
    day = format_day(delivery_on, lang)
    if stock is not None and stock > 0:
        return translate(lang, "catalogue.in_stock", count=stock, day=day)
    return translate(lang, "catalogue.not_in_stock", day=day)
