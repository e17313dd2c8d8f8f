"""The controller's dashboard: spend this month against last month, and why orders went over
budget this month (the limits their submissions exceeded), summed in SQL where the database
can and counted over this month's submissions where the reasons sit in an event's data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from customer_center.domain.order_states import (
    NOT_COUNTED_STATUSES,
    RESERVING_STATUSES,
    EventKind,
)
from customer_center.domain.permissions import Permission
from customer_center.domain.portal_time import start_of_local_day
from customer_center.domain.principals import CustomerUser
from customer_center.models.order import Order, OrderEvent
from customer_center.services.controlling import range_bounds
from customer_center.services.people.budgets import company_currency, local_today

TOP_REASONS = 3
# At most this many of the month's submissions are read for their reasons (a guard; a company
# submits far fewer orders than this in a month).
MAX_SUBMISSIONS = 5000


@dataclass(frozen=True)
class Reason:
    kind: str  # quantity | order_value | period_budget
    period: str | None  # the budget's period for period_budget
    orders: int


@dataclass(frozen=True)
class ControllerView:
    currency: str
    this_month_cents: int
    last_month_cents: int
    reasons: list[Reason]  # the most frequent first
    over_budget_orders: int  # this month's submissions that needed approval for a limit


def controller_view(
    session: Session, principal: CustomerUser, *, today: date | None = None
) -> ControllerView:
    principal.require(Permission.REPORTS_VIEW)
    today = today or local_today()
    this_start, next_start = range_bounds("month", today)
    last_start, _ = range_bounds("month", date.fromordinal(this_start.toordinal() - 1))
    this_from, last_from = start_of_local_day(this_start), start_of_local_day(last_start)
    until = start_of_local_day(next_start)
    submitted = col(Order.submitted_at)
    spending = ~col(Order.status).in_(NOT_COUNTED_STATUSES | RESERVING_STATUSES)
    this_month, last_month = session.exec(
        select(
            func.coalesce(func.sum(case((submitted >= this_from, Order.total_cents), else_=0)), 0),
            func.coalesce(func.sum(case((submitted < this_from, Order.total_cents), else_=0)), 0),
        ).where(
            Order.company_id == principal.company_id,
            spending,
            submitted >= last_from,
            submitted < until,
        )
    ).one()
    reasons, over = _reasons(session, principal.company_id, this_from, until)
    return ControllerView(
        currency=company_currency(session, principal.company_id),
        this_month_cents=int(this_month),
        last_month_cents=int(last_month),
        reasons=reasons,
        over_budget_orders=over,
    )


def _reasons(
    session: Session, company_id: int, since: object, until: object
) -> tuple[list[Reason], int]:
    rows = session.exec(
        select(OrderEvent.order_id, OrderEvent.data)
        .where(
            col(OrderEvent.company_id) == company_id,
            col(OrderEvent.kind) == EventKind.SUBMITTED,
            col(OrderEvent.created_at) >= since,
            col(OrderEvent.created_at) < until,
        )
        .limit(MAX_SUBMISSIONS)
    ).all()
    counted: Counter[tuple[str, str | None]] = Counter()
    over: set[int] = set()
    for order_id, data in rows:
        kinds = {
            (str(r.get("kind", "")), r.get("period") if r.get("kind") == "period_budget" else None)
            for r in (data or {}).get("reasons", [])
            if isinstance(r, dict) and r.get("kind")
        }
        counted.update(kinds)
        if kinds:
            over.add(order_id)
    top = [Reason(kind, period, n) for (kind, period), n in counted.most_common(TOP_REASONS)]
    return top, len(over)
