"""Wording the presenters and the e-mail templates share: amounts in cents and the
differences between two revisions of an order, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from customer_center.domain.orders import Difference, difference_of
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_money


def money(cents: int, currency: str, lang: str) -> str:
    """Amounts in cents as the reader writes money: ``€1,224.00`` / ``1.224,00 €``."""
    return format_money(Decimal(cents) / 100, currency, lang)


def _address_line(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    parts = [value.get(k, "") for k in ("name", "street")]
    parts.append(f"{value.get('postal_code', '')} {value.get('city', '')}".strip())
    parts.append(value.get("country", ""))
    return ", ".join(str(p) for p in parts if p)


def difference_words(difference: Difference | Mapping[str, Any], lang: str, currency: str) -> str:
    """One difference as a sentence part: "Motor: quantity 2 → 1" (a stored one is a dict)."""
    d = difference if isinstance(difference, Difference) else difference_of(difference)
    kind, name, before, after = d.kind, d.name or d.sku, d.before, d.after
    if kind in ("quantity", "removed", "added"):
        return translate(lang, f"approvals.diff.{kind}", name=name, before=before, after=after)
    if kind in ("price", "total"):
        return translate(
            lang,
            f"approvals.diff.{kind}",
            name=name,
            before=money(int(before or 0), currency, lang),
            after=money(int(after or 0), currency, lang),
        )
    if kind in ("delivery_address", "billing_address"):
        return translate(
            lang,
            f"approvals.diff.{kind}",
            before=_address_line(before),
            after=_address_line(after),
        )
    if kind in ("shipping_method", "payment_method"):
        group = "shipping" if kind == "shipping_method" else "payment"
        return translate(
            lang,
            f"approvals.diff.{kind}",
            before=translate(lang, f"orders.{group}.{before}"),
            after=translate(lang, f"orders.{group}.{after}"),
        )
    return translate(lang, "approvals.diff.other", field=str(kind), before=before, after=after)
