"""Controlling: spend per month, per user and per role, and waiting approvals (budget use per
user is in :mod:`budget_use`).

For holders of reports.view (the main contact, Controllers). Orders are summed in SQL within
the principal's company, on the indexes the order and approval tables carry: per month in one
query, per requester in another (at most one row per user), from which the totals, the top
spenders and the sums per role are added up; the budget table is one page of users at a time.

Spend follows the budget rules (services/budgets): an order counts from its submission, in the
portal's time zone; orders waiting for approval are *reserved*; drafts, rejected and cancelled
orders count for nothing; every other order is *spent*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from customer_center.domain.budgets import (
    PERIODS,
    period_bounds,
)
from customer_center.domain.order_states import NOT_COUNTED_STATUSES, RESERVING_STATUSES, StepStatus
from customer_center.domain.orders import order_number
from customer_center.domain.permissions import Permission
from customer_center.domain.portal_time import start_of_local_day
from customer_center.domain.principals import CustomerUser
from customer_center.domain.refs import RoleRef
from customer_center.models.base import utcnow
from customer_center.models.order import ApprovalStep, Order
from customer_center.models.user import Role, User, UserRole
from customer_center.services.people.budgets import company_currency, local_today
from customer_center.services.people.names import names_of

MONTHS = 12
RANGES = ("12m", "month", "quarter", "year")
TOP = 10
# Ages of waiting approvals: (bucket, lower bound in days); the last bucket is open-ended.
AGE_BUCKETS: tuple[tuple[str, int], ...] = (("under_1", 0), ("1_3", 1), ("3_7", 3), ("over_7", 7))
_SPENDING = ~col(Order.status).in_(NOT_COUNTED_STATUSES | RESERVING_STATUSES)


def _month_start(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def range_bounds(range_code: str, today: date) -> tuple[date, date]:
    """First day and the day after the last of a range: the current month, quarter or year,
    or the last twelve months up to today (21 May 2025 – 20 May 2026; never the calendar
    year, which in December would read as "this year")."""
    if range_code in PERIODS:
        return period_bounds(range_code, today)
    return _year_before(today) + timedelta(days=1), today + timedelta(days=1)


def _year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# --- spend -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spend:
    label: str  # a month's first day (ISO) or a user's name
    cents: int
    key: str = ""  # the user's id


@dataclass(frozen=True)
class RoleSpend:
    role: RoleRef  # worded by the reader (a built-in in their language)
    cents: int


@dataclass(frozen=True)
class SpendReport:
    currency: str
    range_start: date
    range_end: date  # exclusive
    months: list[Spend]  # the last twelve months, oldest first, label = first day
    users: list[Spend]  # the top spenders in the range
    roles: list[RoleSpend]  # per role in the range (a user with two roles counts in both)
    spent_cents: int
    reserved_cents: int


def spend_report(
    session: Session,
    principal: CustomerUser,
    *,
    range_code: str = "12m",
    today: date | None = None,
) -> SpendReport:
    principal.require(Permission.REPORTS_VIEW)
    today = today or local_today()
    range_code = range_code if range_code in RANGES else "12m"
    start, end = range_bounds(range_code, today)
    company = principal.company_id
    in_range = and_(
        col(Order.company_id) == company,
        col(Order.submitted_at) >= start_of_local_day(start),
        col(Order.submitted_at) < start_of_local_day(end),
    )
    by_requester = _per_requester(session, in_range)
    return SpendReport(
        currency=company_currency(session, company),
        range_start=start,
        range_end=end,
        months=_per_month(session, company, today),
        users=_top_users(session, company, by_requester),
        roles=_per_role(session, company, by_requester),
        spent_cents=sum(spent for spent, _reserved in by_requester.values()),
        reserved_cents=sum(reserved for _spent, reserved in by_requester.values()),
    )


def _per_requester(session: Session, in_range: Any) -> dict[int, tuple[int, int]]:
    """Spent and reserved per requester in the range: one scan of the company's orders
    (index ix_order_company_submitted); at most one row per user."""
    reserving = col(Order.status).in_(RESERVING_STATUSES)
    rows = session.execute(
        sa_select(
            col(Order.requester_id),
            func.sum(case((reserving, 0), else_=Order.total_cents)),
            func.sum(case((reserving, Order.total_cents), else_=0)),
        )
        .where(in_range, ~col(Order.status).in_(NOT_COUNTED_STATUSES))
        .group_by(col(Order.requester_id))
    ).all()
    return {user_id: (int(spent or 0), int(reserved or 0)) for user_id, spent, reserved in rows}


def _per_month(session: Session, company_id: int, today: date) -> list[Spend]:
    """One query: a conditional sum per month over the company's orders of the last year."""
    starts = [_month_start(today, back) for back in range(MONTHS - 1, -2, -1)]
    bounds = [start_of_local_day(day) for day in starts]
    sums = [
        func.coalesce(
            func.sum(
                case(
                    (
                        and_(col(Order.submitted_at) >= low, col(Order.submitted_at) < high),
                        Order.total_cents,
                    ),
                    else_=0,
                )
            ),
            0,
        )
        for low, high in zip(bounds, bounds[1:], strict=False)
    ]
    row = session.execute(
        sa_select(*sums).where(
            col(Order.company_id) == company_id,
            col(Order.submitted_at) >= bounds[0],
            col(Order.submitted_at) < bounds[-1],
            _SPENDING,
        )
    ).one()
    return [Spend(day.isoformat(), int(cents)) for day, cents in zip(starts, row, strict=False)]


def _top_users(
    session: Session, company_id: int, by_requester: dict[int, tuple[int, int]]
) -> list[Spend]:
    ranked = sorted(
        ((spent, user_id) for user_id, (spent, _) in by_requester.items() if spent > 0),
        key=lambda item: (-item[0], item[1]),
    )[:TOP]
    if not ranked:
        return []
    ids = [user_id for _spent, user_id in ranked]
    names = names_of(session, company_id, ids)
    return [Spend(names.get(user_id, "?"), spent, str(user_id)) for spent, user_id in ranked]


def _per_role(
    session: Session, company_id: int, by_requester: dict[int, tuple[int, int]]
) -> list[RoleSpend]:
    """The requesters' sums added up per role they hold (a user with two roles counts in
    both), largest first."""
    if not any(spent for spent, _ in by_requester.values()):
        return []
    holdings = session.exec(
        select(UserRole.user_id, Role.code, Role.name, Role.is_builtin)
        .join(Role, col(Role.id) == UserRole.role_id)
        .where(col(Role.company_id) == company_id)
    ).all()
    totals: dict[RoleRef, int] = defaultdict(int)
    for user_id, code, name, builtin in holdings:
        spent = by_requester.get(user_id, (0, 0))[0]
        if spent:
            totals[RoleRef(code, name, builtin)] += spent
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0].name))
    return [RoleSpend(role, cents) for role, cents in ranked]


# --- approvals waiting -----------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingApproval:
    order_id: int
    number: str
    requester: str
    approver: str
    total_cents: int
    currency: str
    since: datetime


@dataclass(frozen=True)
class ApprovalReport:
    orders_waiting: int
    steps_by_age: list[tuple[str, int]]  # (bucket, steps) in AGE_BUCKETS order
    oldest: list[WaitingApproval]


def approval_report(
    session: Session, principal: CustomerUser, *, now: datetime | None = None
) -> ApprovalReport:
    """Approval steps due now (status ``waiting``) by how long they have been waiting."""
    principal.require(Permission.REPORTS_VIEW)
    now = now or utcnow()
    waiting = and_(
        col(ApprovalStep.company_id) == principal.company_id,
        col(ApprovalStep.status) == StepStatus.WAITING,
    )
    counts = session.execute(sa_select(*_age_buckets(now)).where(waiting)).one()
    orders = session.execute(
        sa_select(func.count(func.distinct(ApprovalStep.order_id))).where(waiting)
    ).scalar_one()
    oldest = _oldest_waiting(session, waiting)
    return ApprovalReport(
        orders_waiting=int(orders),
        steps_by_age=[(bucket, int(n)) for (bucket, _), n in zip(AGE_BUCKETS, counts, strict=True)],
        oldest=[
            WaitingApproval(
                order_id=order_id,
                number=order_number(_Numbered(order_id)),
                requester=requester,
                approver=approver_name,
                total_cents=total,
                currency=currency,
                since=since or now,
            )
            for order_id, total, currency, requester, approver_name, since in oldest
        ],
    )


def _age_buckets(now: datetime) -> list[Any]:
    """One count per age bucket: bucket i holds steps due since (bounds[i + 1], bounds[i]],
    younger buckets first."""
    due = col(ApprovalStep.due_since)
    bounds = [now - timedelta(days=days) for _bucket, days in AGE_BUCKETS[1:]]
    conditions: list[ColumnElement[bool]] = [(due > bounds[0]) | due.is_(None)]
    conditions += [
        and_(due <= newer, due > older) for newer, older in zip(bounds, bounds[1:], strict=False)
    ]
    conditions.append(due <= bounds[-1])
    return [func.coalesce(func.sum(case((c, 1), else_=0)), 0) for c in conditions]


def _oldest_waiting(session: Session, waiting: ColumnElement[bool]) -> Sequence[Any]:
    """The longest-waiting steps with their order, requester and approver."""
    approver = User.__table__.alias("approver")  # type: ignore[attr-defined]
    return session.execute(
        sa_select(
            col(Order.id),
            col(Order.total_cents),
            col(Order.currency),
            col(User.name),
            approver.c.name,
            col(ApprovalStep.due_since),
        )
        .join(Order, col(Order.id) == ApprovalStep.order_id)
        .join(User, col(User.id) == Order.requester_id)
        .join(approver, approver.c.id == ApprovalStep.approver_id)
        .where(waiting)
        .order_by(col(ApprovalStep.due_since).asc(), col(ApprovalStep.id))
        .limit(TOP)
    ).all()


@dataclass
class _Numbered:
    id: int | None
