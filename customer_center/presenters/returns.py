"""Returns and credit requests in the reader's language: list rows, one return's head and
lines, its timeline (worded like an order's, by :mod:`presenters.timeline`), the form's lines,
the choices of the forms, and controlling's bars of the value returned per month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date

from customer_center.domain import routes
from customer_center.domain.languages import normalize_language
from customer_center.domain.principals import PrincipalKind
from customer_center.domain.returns import (
    REASONS,
    Condition,
    Outcome,
    ReturnAction,
    ReturnKind,
    allows,
    closable,
    credit_due,
)
from customer_center.domain.timeline import TimelineEntry
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_day, format_moment, format_money
from customer_center.presenters.timeline import who
from customer_center.services.controlling import Spend
from customer_center.services.returns.customer import Returnable
from customer_center.services.returns.records import ReturnPage, ReturnRow, ReturnView

Row = dict[str, str]


def returned_bars(months: list[Spend], currency: str, lang: str) -> list[dict[str, Any]]:
    """Controlling's bars of the value returned per month."""
    locale = normalize_language(lang)
    return [
        {
            "label": format_date(date.fromisoformat(m.label), "MMM yy", locale=locale),
            "amount": float(Decimal(m.cents) / 100),
            "text": money(m.cents, currency, lang),
        }
        for m in months
    ]


def money(cents: int, currency: str, lang: str) -> str:
    return format_money(Decimal(cents) / 100, currency, lang)


def return_rows(page: ReturnPage, lang: str, *, seller: bool = False) -> list[Row]:
    return [_row(row, lang, seller=seller) for row in page.rows]


def _row(row: ReturnRow, lang: str, *, seller: bool) -> Row:
    return {
        "id": str(row.id),
        "number": row.number,
        "kind": translate(lang, f"returns.kind.{row.kind}"),
        "reason": translate(lang, f"returns.reason.{row.reason}"),
        "status": row.state,
        "status_label": translate(lang, f"returns.state.{row.state}"),
        "order": row.order_number,
        "requested_by": row.requested_by,
        "company": row.company,
        "value": money(row.credit_cents, row.currency, lang),
        "updated": format_moment(row.updated_at, lang),
        "href": routes.seller_return_path(row.id) if seller else routes.return_path(row.id),
    }


def summary(page: ReturnPage, lang: str) -> str:
    return translate(lang, "returns.summary", total=page.total)


def head(view: ReturnView, lang: str, *, seller: bool = False) -> Row:
    """The facts of one return and what may be done with it now (``may_<action>``: "yes")."""
    row = view.row
    order_href = (
        routes.seller_order_path(row.company_id, row.order_id)
        if seller
        else routes.order_path(row.order_id)
    )
    mays = {
        f"may_{action.value}": "yes" if allows(row.kind, row.state, action) else ""
        for action in ReturnAction
    }
    mays["may_credit"] = (
        "yes" if credit_due(row.kind, row.state, row.outcome) and not view.credit_requested else ""
    )
    mays["may_replace"] = mays["may_replace"] if row.outcome == Outcome.REPLACEMENT else ""
    mays["may_close"] = "yes" if closable(row.kind, row.state, row.credit_cents) else ""
    return {
        **_row(row, lang, seller=seller),
        **mays,
        "goods": "yes" if row.kind == ReturnKind.GOODS else "",
        "order_label": translate(lang, "returns.for_order", number=row.order_number),
        "order_href": order_href,
        "requested": translate(
            lang,
            "returns.requested_on",
            when=format_moment(row.created_at, lang),
            who=row.requested_by,
        ),
        "condition": translate(lang, f"returns.condition.{view.condition}")
        if view.condition
        else "",
        "outcome": translate(lang, f"returns.outcome.{row.outcome}"),
        "comment": view.comment,
        "rejection": translate(lang, "returns.rejection_reason", reason=view.rejection_reason)
        if view.rejection_reason
        else "",
        "rma": row.rma_number,
        "slip_href": routes.return_slip_path(row.id, seller=seller) if row.rma_number else "",
        "ask_href": "" if seller else routes.case_about_return_path(row.id),
        "credit_note": row.credit_note_number,
        "credit_pending": "yes"
        if view.credit_requested and not row.credit_note_number and not view.credit_given_up
        else "",
        "credit_given_up": "yes" if view.credit_given_up else "",
    }


def line_rows(view: ReturnView, lang: str) -> list[Row]:
    currency = view.row.currency
    return [
        {
            "id": str(line.id),
            "position": str(line.position),
            "sku": line.sku,
            "name": line.name,
            "quantity": str(line.quantity),
            "accepted": "–" if line.accepted is None else str(line.accepted),
            "unit": money(line.unit_credit_cents, currency, lang),
        }
        for line in view.lines
    ]


def entry_words(entry: TimelineEntry, lang: str) -> str:
    data = entry.data
    return translate(
        lang,
        f"returns.event.{entry.kind}",
        accepted=data.get("accepted", 0),
        credit_note=data.get("credit_note", ""),
    )


def entry_who(entry: TimelineEntry, lang: str) -> str:
    """The customer user; an agent acting for one; an agent deciding for the seller."""
    if entry.actor_kind == PrincipalKind.SELLER_AGENT and not entry.actor:
        return translate(lang, "cases.who_staff", agent=entry.agent, seller=entry.seller)
    return who(entry, lang)


def timeline_rows(view: ReturnView, lang: str) -> list[Row]:
    return [
        {
            "kind": entry.kind,
            "who": entry_who(entry, lang),
            "when": format_moment(entry.when, lang),
            "text": entry_words(entry, lang),
            "body": entry.body,
        }
        for entry in view.entries
    ]


def form_head(found: Returnable, lang: str) -> Row:
    until = (
        translate(lang, "returns.window_until", day=format_day(found.last_day, lang))
        if found.last_day and found.open
        else ""
    )
    return {
        "order_label": translate(lang, "returns.for_order", number=found.order_number),
        "order_href": routes.order_path(found.order_id),
        "until": until,
        "open": "yes" if found.open else "",
    }


def form_lines(found: Returnable, lang: str) -> list[Row]:
    return [
        {
            "id": str(line.id),
            "position": str(line.position),
            "sku": line.sku,
            "name": line.name,
            "delivered": str(line.delivered),
            "available": str(line.available),
            "returnable": translate(lang, "returns.returnable_count", count=line.available),
            "unit": money(line.unit_price_cents, found.currency, lang),
        }
        for line in found.lines
    ]


def choices(kind: str, lang: str) -> dict[str, list[Row]]:
    """The options of the form's selects: reasons of the kind, conditions, outcomes."""
    wanted = ReturnKind(kind) if kind in set(ReturnKind) else ReturnKind.GOODS
    return {
        "reasons": [
            {"value": r.value, "label": translate(lang, f"returns.reason.{r.value}")}
            for r in REASONS[wanted]
        ],
        "conditions": [
            {"value": c.value, "label": translate(lang, f"returns.condition.{c.value}")}
            for c in Condition
        ],
        "outcomes": [
            {"value": o.value, "label": translate(lang, f"returns.outcome.{o.value}")}
            for o in Outcome
        ],
    }
