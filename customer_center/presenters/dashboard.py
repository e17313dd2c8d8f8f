"""The dashboard's facts in the reader's words: small dicts of strings for the page."""

from __future__ import annotations

from datetime import datetime

from customer_center.domain import routes
from customer_center.domain.permissions import permission_label_key
from customer_center.i18n import translate
from customer_center.i18n.formatting import format_moment
from customer_center.i18n.wording import money
from customer_center.presenters import budgets as budget_words
from customer_center.presenters.orders import age_words, status_color, status_label
from customer_center.services.dashboard.controller import ControllerView
from customer_center.services.dashboard.everyone import MyDay
from customer_center.services.dashboard.main_contact import CompanyView

Texts = dict[str, str]


def open_orders(day: MyDay, lang: str) -> list[Texts]:
    return [
        {
            "href": routes.order_path(o.order_id),
            "number": o.number,
            "status": status_label(o.status, lang),
            "color": status_color(o.status),
            "total": money(o.total_cents, o.currency, lang),
            "when": format_moment(o.submitted_at, lang) if o.submitted_at else "",
        }
        for o in day.open_orders
    ]


def budget_left(day: MyDay, lang: str) -> Texts:
    """What is left of the period budget, or that the user has none."""
    shown = budget_words.situation(day.budget, lang)
    if not shown.has_period:
        return {"left": "", "note": translate(lang, "home.budget.no_period"), "period": ""}
    return {
        "left": shown.remaining,
        "note": translate(lang, "home.budget.used", spent=shown.spent, reserved=shown.reserved),
        "period": shown.period_label,
        "percent": str(shown.used_percent),
        "over": "1" if shown.over_budget else "",
    }


def waiting(day: MyDay, lang: str, now: datetime) -> Texts:
    oldest = day.oldest_waiting
    if oldest is None:
        return {"count": str(day.waiting_count), "oldest": "", "href": ""}
    return {
        "count": str(day.waiting_count),
        "oldest": translate(
            lang,
            "home.waiting.oldest",
            number=oldest.number,
            requester=oldest.requester,
            age=age_words(oldest.since, now, lang),
        ),
        "href": routes.order_path(oldest.order_id),
    }


def unread(day: MyDay, lang: str) -> Texts:
    found = day.unread
    if not found.messages:
        return {"count": "0", "text": translate(lang, "home.unread.none"), "href": ""}
    return {
        "count": str(found.messages),
        "text": translate(lang, "home.unread.some", messages=found.messages, orders=found.orders),
        "href": routes.order_path(found.latest_order_id) if found.latest_order_id else "",
    }


def first_steps(day: MyDay, rights: frozenset[str], lang: str) -> dict[str, object]:
    """For a newcomer (no order yet): what they may do and whom to ask."""
    may = sorted({translate(lang, permission_label_key(r)) for r in rights})
    contact = day.main_contact
    return {
        "show": not day.has_ordered and contact is not None,
        "may": may,
        "ask": translate(lang, "home.start.ask", name=contact.name) if contact else "",
        "ask_email": contact.email if contact else "",
    }


def setup_steps(view: CompanyView, lang: str) -> list[Texts]:
    return [
        {
            "code": step.code,
            "label": translate(lang, f"home.setup.{step.code}"),
            "done": "1" if step.done else "",
            "state": translate(lang, "home.setup.done" if step.done else "home.setup.open"),
            "href": step.route,
        }
        for step in view.setup
    ]


def invited(view: CompanyView, lang: str) -> list[Texts]:
    return [
        {
            "name": person.name or person.email,
            "email": person.email,
            "since": format_moment(person.invited_at, lang),
            "href": routes.user_path(person.user_id),
        }
        for person in view.invited
    ]


def longest_waiting(view: CompanyView, lang: str, now: datetime) -> list[Texts]:
    return [
        {
            "number": w.number,
            "href": routes.order_path(w.order_id),
            "text": translate(
                lang,
                "home.company.waiting_row",
                requester=w.requester,
                approver=w.approver,
                age=age_words(w.since, now, lang),
            ),
            "total": money(w.total_cents, w.currency, lang),
        }
        for w in view.longest_waiting
    ]


def spend(view: ControllerView, lang: str) -> Texts:
    this, last = view.this_month_cents, view.last_month_cents
    if last:
        change = round(100 * (this - last) / last)
        trend = translate(lang, "home.spend.change", percent=f"{change:+d}")
    else:
        trend = translate(lang, "home.spend.no_last")
    return {
        "this": money(this, view.currency, lang),
        "last": money(last, view.currency, lang),
        "trend": trend,
        "this_percent": str(_share(this, max(this, last))),
        "last_percent": str(_share(last, max(this, last))),
    }


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def reasons(view: ControllerView, lang: str) -> list[Texts]:
    return [
        {
            "label": translate(
                lang,
                f"home.reason.{r.kind}" + (f".{r.period}" if r.period else ""),
            ),
            "orders": str(r.orders),
        }
        for r in view.reasons
    ]
