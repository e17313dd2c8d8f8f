"""The timeline and the differences between revisions, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from customer_center.domain.budgets import (
    money,
)
from customer_center.domain.order_states import EventKind
from customer_center.i18n import translate
from customer_center.i18n.catalog import catalog
from customer_center.i18n.formatting import format_moment


def _address_line(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    parts = [value.get(k, "") for k in ("name", "street")]
    parts.append(f"{value.get('postal_code', '')} {value.get('city', '')}".strip())
    parts.append(value.get("country", ""))
    return ", ".join(str(p) for p in parts if p)


def difference_words(d: Mapping[str, Any], lang: str, currency: str) -> str:
    """One difference as a sentence part: "Motor: quantity 2 → 1"."""
    kind = d.get("kind")
    name = d.get("name") or d.get("sku") or ""
    before, after = d.get("before"), d.get("after")
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


def event_words(
    kind: str, data: Mapping[str, Any], lang: str, currency: str, names: Mapping[int, str]
) -> str:
    """What happened, in words: "approved level 2 (for Anna)", "shipped by DHL, 00340…"."""
    messages = catalog(lang)
    if kind == EventKind.APPROVED:
        if data.get("automatic"):
            key = (
                "approvals.event.approved_self"
                if data.get("self")
                else ("approvals.event.approved_within_budget")
            )
            return translate(lang, key)
        text = translate(
            lang,
            "approvals.event.approved_final" if data.get("final") else "approvals.event.approved",
            level=int(data.get("level") or 0) + 1,
        )
        behalf = [names.get(u, "?") for u in data.get("on_behalf_of") or [] if isinstance(u, int)]
        if behalf:
            text += " " + translate(lang, "approvals.on_behalf", names=", ".join(behalf))
        return text
    if kind in (EventKind.CHANGED, EventKind.RESUBMITTED):
        parts = [difference_words(d, lang, currency) for d in data.get("diff") or []]
        text = translate(lang, f"approvals.event.{kind}")
        return f"{text}: {'; '.join(parts)}" if parts else text
    if kind.startswith("erp."):
        status = kind.removeprefix("erp.")
        if status == "sent":
            return translate(
                lang, "approvals.event.erp_sent", number=data.get("erp_order_number", "")
            )
        label = messages.get(f"orders.status.{status}", status)
        text = translate(lang, "approvals.event.erp_status", status=label)
        if data.get("carrier") or data.get("tracking_number"):
            text += " " + translate(
                lang,
                "approvals.event.shipment",
                carrier=data.get("carrier") or "–",
                tracking=data.get("tracking_number") or "–",
            )
        return text
    key = f"approvals.event.{kind}"
    return messages.get(key, kind)


def moment_words(value: datetime | None, lang: str) -> str:
    return format_moment(value, lang) if value else ""
