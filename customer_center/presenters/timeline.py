"""The timeline and the differences between revisions, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from customer_center.domain.order_states import EventKind, erp_status_of
from customer_center.domain.orders import Difference, difference_of
from customer_center.domain.timeline import TimelineEntry
from customer_center.i18n import translate
from customer_center.i18n.catalog import catalog
from customer_center.i18n.formatting import format_moment
from customer_center.presenters.money import money


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


def event_words(entry: TimelineEntry, lang: str, currency: str) -> str:
    """What happened, in words: "approved level 2 (for Anna)", "shipped by DHL, 00340…"."""
    kind, data = entry.kind, entry.data
    if kind == EventKind.APPROVED:
        return _approval_words(entry, lang)
    if kind in (EventKind.CHANGED, EventKind.RESUBMITTED):
        parts = [difference_words(d, lang, currency) for d in data.get("diff") or []]
        text = translate(lang, f"approvals.event.{kind}")
        return f"{text}: {'; '.join(parts)}" if parts else text
    status = erp_status_of(kind)
    if status is not None:
        return _erp_words(status, data, lang)
    return catalog(lang).get(f"approvals.event.{kind}", kind)


def _approval_words(entry: TimelineEntry, lang: str) -> str:
    data = entry.data
    if data.get("automatic"):
        key = "approved_self" if data.get("self") else "approved_within_budget"
        return translate(lang, f"approvals.event.{key}")
    text = translate(
        lang,
        "approvals.event.approved_final" if data.get("final") else "approvals.event.approved",
        level=int(data.get("level") or 0) + 1,
    )
    if entry.on_behalf_of:
        text += " " + translate(lang, "approvals.on_behalf", names=", ".join(entry.on_behalf_of))
    return text


def _erp_words(status: str, data: Mapping[str, Any], lang: str) -> str:
    if status == "sent":
        return translate(lang, "approvals.event.erp_sent", number=data.get("erp_order_number", ""))
    label = catalog(lang).get(f"orders.status.{status}", status)
    text = translate(lang, "approvals.event.erp_status", status=label)
    if data.get("carrier") or data.get("tracking_number"):
        text += " " + translate(
            lang,
            "approvals.event.shipment",
            carrier=data.get("carrier") or "–",
            tracking=data.get("tracking_number") or "–",
        )
    return text


def who(entry: TimelineEntry, lang: str) -> str:
    """The name of who acted; the portal itself when nobody did."""
    return entry.actor or translate(lang, "approvals.event.system")


def timeline_rows(
    entries: Sequence[TimelineEntry], lang: str, currency: str
) -> list[dict[str, str]]:
    """The timeline as the page shows it, oldest first."""
    return [
        {
            "kind": entry.kind,
            "who": who(entry, lang),
            "when": format_moment(entry.when, lang),
            "text": event_words(entry, lang, currency),
            "body": entry.body,
        }
        for entry in entries
    ]
