"""Orders in words: the list's rows, the inbox's rows, one order's page, the CSV header.

Each function takes a service's read model and the reader's language and returns the small
dictionaries of strings the states hand to the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from customer_center.domain import routes
from customer_center.domain.orders import SHIPPING_METHODS
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.i18n.wording import difference_words, money
from customer_center.presenters.breaches import breach_lines
from customer_center.services.orders.detail import OrderDetail
from customer_center.services.orders.inbox import InboxRow
from customer_center.services.orders.lists import OrderRow

STATUS_COLORS = {
    "pending_approval": "amber",
    "approved": "green",
    "rejected": "red",
    "cancelled": "gray",
    "sent_to_erp": "blue",
    "delivered": "green",
}
NOTED_STATES = ("approved", "rejected", "cancelled")


def status_label(status: str, lang: str) -> str:
    return translate(lang, f"orders.status.{status}")


def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "blue")


def state_note(status: str, lang: str) -> str:
    """A sentence on the state of an order that no longer waits for approval; none while
    it waits (the reasons say why) or before it was sent."""
    if status in ("pending_approval", "draft"):
        return ""
    if status in NOTED_STATES:
        return translate(lang, f"approvals.state.{status}")
    return translate(lang, "approvals.state.other", status=status_label(status, lang))


def csv_header(columns: Sequence[str], lang: str) -> list[str]:
    """The order list export's column titles."""
    return [translate(lang, f"order_list.csv.{name}") for name in columns]


def list_rows(rows: Sequence[OrderRow], lang: str) -> list[dict[str, str]]:
    """One page of the order list."""
    return [
        {
            "id": str(row.id),
            "href": routes.order_path(row.id),
            "number": row.number,
            "submitted": format_moment(row.submitted_at, lang),
            "requester": row.requester_name,
            "reference": row.reference,
            "status": row.status,
            "status_label": status_label(row.status, lang),
            "total": money(row.total_cents, row.currency, lang),
            "erp_number": row.erp_order_number,
        }
        for row in rows
    ]


def age_words(since: datetime, now: datetime, lang: str) -> str:
    """ "3 days", "5 hours", "just now": how long an order has been waiting."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds >= 86_400:
        return translate(lang, "approvals.age.days", count=seconds // 86_400)
    if seconds >= 3_600:
        return translate(lang, "approvals.age.hours", count=seconds // 3_600)
    return translate(lang, "approvals.age.now")


def inbox_rows(rows: Sequence[InboxRow], lang: str, now: datetime) -> list[dict[str, str]]:
    """One page of the approvals inbox."""
    return [
        {
            "id": str(row.order_id),
            "href": routes.order_path(row.order_id),
            "number": row.number,
            "requester": row.requester,
            "total": money(row.total_cents, row.currency, lang),
            "age": age_words(row.waiting_since, now, lang),
            "since": format_moment(row.waiting_since, lang),
            "reasons": "; ".join(breach_lines(row.reasons, lang, row.currency)),
            "behalf": translate(lang, "approvals.as_substitute", names=", ".join(row.on_behalf_of))
            if row.on_behalf_of
            else "",
            "escalated": translate(lang, "approvals.escalated") if row.escalated else "",
        }
        for row in rows
    ]


def address_lines(address: dict[str, str]) -> list[str]:
    city = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
    lines = [address.get("name", ""), address.get("street", ""), city, address.get("country", "")]
    return [line for line in lines if line]


def line_rows(d: OrderDetail, lang: str) -> list[dict[str, str]]:
    return [
        {
            "sku": line.sku,
            "name": line.name,
            "quantity": str(line.quantity),
            "unit_price": money(line.unit_price_cents, d.currency, lang),
            "total": money(line.total_cents, d.currency, lang),
        }
        for line in d.lines
    ]


def revision_rows(d: OrderDetail, lang: str) -> list[dict[str, str]]:
    """The revisions, newest first."""
    return [
        {
            "number": str(r.number),
            "title": translate(lang, f"approvals.revision.{r.reason}", number=r.number),
            "author": r.author,
            "when": format_moment(r.created_at, lang),
            "comment": r.comment,
            "total": money(r.total_cents, d.currency, lang),
        }
        for r in reversed(d.revisions)
    ]


def revision_changes(d: OrderDetail, lang: str) -> list[dict[str, str]]:
    """What each revision changed against the one before, one row per difference."""
    return [
        {"revision": str(r.number), "text": difference_words(change, lang, d.currency)}
        for r in d.revisions
        for change in r.differences
    ]


def chain_rows(d: OrderDetail, lang: str) -> list[dict[str, str]]:
    return [
        {
            "number": str(level.number),
            "label": translate(
                lang,
                "approvals.chain.level",
                number=level.number,
                rule=translate(lang, f"chains.rule.{level.rule}"),
            ),
            "current": "1" if level.current else "",
        }
        for level in d.chain
    ]


def chain_member_rows(d: OrderDetail, lang: str) -> list[dict[str, str]]:
    members = []
    for level in d.chain:
        for m in level.members:
            state = translate(lang, f"approvals.step.{m.status}")
            if m.decided_by and m.decided_at:
                state = translate(
                    lang,
                    "approvals.step.decided",
                    status=state,
                    name=m.decided_by,
                    when=format_moment(m.decided_at, lang),
                )
            if m.decider:
                state += " " + translate(lang, "approvals.step.decider", name=m.decider)
            members.append(
                {"level": str(level.number), "name": m.approver, "state": state, "status": m.status}
            )
    return members


def shipping_options(lang: str) -> list[dict[str, str]]:
    return [
        {"value": code, "label": translate(lang, f"orders.shipping.{code}")}
        for code in SHIPPING_METHODS
    ]
