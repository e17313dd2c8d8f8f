"""The controller's dashboard: spend this month against last month, and why orders went over
budget this month (the limits their submissions exceeded), all summed in SQL (the reasons sit
in the submission events' JSON data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import DateTime, bindparam, case, func, text
from sqlmodel import Session, col, select

from customer_center.domain.order_states import (
    NOT_COUNTED_STATUSES,
    RESERVING_STATUSES,
    EventKind,
)
from customer_center.domain.permissions import Permission
from customer_center.domain.portal_time import start_of_local_day
from customer_center.domain.principals import CustomerUser
from customer_center.models.order import Order
from customer_center.services.controlling import range_bounds
from customer_center.services.people.budgets import company_currency, local_today

TOP_REASONS = 3


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


# Each reason of each of the company's submissions in a time range, as rows ``reasons``
# (event, order, kind, period), read in the database: JSON functions differ between the two.
_REASONS_POSTGRESQL = """WITH reasons AS (
    SELECT e.id AS event_id, e.order_id, r ->> 'kind' AS kind, r ->> 'period' AS period
    FROM order_event e CROSS JOIN LATERAL json_array_elements(
        CASE WHEN json_typeof(e.data -> 'reasons') = 'array'
             THEN e.data -> 'reasons' ELSE '[]'::json END) AS r
    WHERE e.company_id = :company_id AND e.kind = :kind
      AND e.created_at >= :since AND e.created_at < :until)
"""
_REASONS_SQLITE = """WITH reasons AS (
    SELECT e.id AS event_id, e.order_id,
           CASE WHEN r.type = 'object' THEN json_extract(r.value, '$.kind') END AS kind,
           CASE WHEN r.type = 'object' THEN json_extract(r.value, '$.period') END AS period
    FROM order_event e, json_each(
        CASE WHEN json_type(e.data, '$.reasons') = 'array'
             THEN json_extract(e.data, '$.reasons') ELSE '[]' END) AS r
    WHERE e.company_id = :company_id AND e.kind = :kind
      AND e.created_at >= :since AND e.created_at < :until)
"""
# Per limit (a budget's period only for period budgets) the submissions that exceeded it,
# and on a row with an empty kind the orders that exceeded any.
_COUNTS = """SELECT kind, CASE WHEN kind = 'period_budget' THEN period END AS period,
       count(DISTINCT event_id) AS n
FROM reasons WHERE coalesce(kind, '') <> '' GROUP BY 1, 2
UNION ALL
SELECT '', NULL, count(DISTINCT order_id) FROM reasons WHERE coalesce(kind, '') <> ''
"""
_REASON_COUNTS = {
    "postgresql": text(_REASONS_POSTGRESQL + _COUNTS),
    "sqlite": text(_REASONS_SQLITE + _COUNTS),
}


def _reasons(
    session: Session, company_id: int, since: datetime, until: datetime
) -> tuple[list[Reason], int]:
    """The limits this month's submissions exceeded, the most frequent first (a limit
    counted once per submission), and how many orders exceeded one."""
    query = _REASON_COUNTS[session.get_bind().dialect.name].bindparams(
        bindparam("since", type_=DateTime()), bindparam("until", type_=DateTime())
    )
    params = {"company_id": company_id, "kind": EventKind.SUBMITTED, "since": since, "until": until}
    rows = session.execute(query, params).all()
    over = next(int(n) for kind, _period, n in rows if kind == "")
    limits = sorted(
        (Reason(str(kind), period, int(n)) for kind, period, n in rows if kind != ""),
        key=lambda reason: (-reason.orders, reason.kind, reason.period or ""),
    )
    return limits[:TOP_REASONS], over
