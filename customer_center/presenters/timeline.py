"""The timeline and the differences between revisions, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from customer_center.domain.order_states import EventKind, erp_status_of
from customer_center.domain.timeline import TimelineEntry
from customer_center.i18n import translate
from customer_center.i18n.catalog import catalog
from customer_center.i18n.formatting import format_moment
from customer_center.i18n.wording import difference_words

RETURN_EVENT_PREFIX = "return."


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
    if kind.startswith(RETURN_EVENT_PREFIX):  # a return of the order: "Return RT-… approved"
        return translate(lang, f"approvals.event.{kind}", number=data.get("number", ""))
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
    """The name of who acted; the portal itself when nobody did; an agent of the seller
    acting for a user: "Seller's agent Eva Ernst for Ben Schmidt"; the seller (by name) for
    what the ERP reports."""
    if entry.agent:
        return translate(
            lang, "acting.agent_for", seller=entry.seller, agent=entry.agent, user=entry.actor
        )
    if entry.seller and erp_status_of(entry.kind) not in (None, "sent"):
        return entry.seller  # the seller reports the order's journey
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
