"""Controlling: each active user's period budget and its use so far, one page of users at a
time, in a fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from customer_center.domain.budgets import (
    PERIODS,
    Limits,
    Spending,
    effective_limits,
    period_bounds,
    remaining_cents,
)
from customer_center.domain.order_states import NOT_COUNTED_STATUSES, RESERVING_STATUSES
from customer_center.domain.people import RuleScope, UserStatus
from customer_center.domain.permissions import Permission
from customer_center.domain.portal_time import start_of_local_day
from customer_center.domain.principals import CustomerUser
from customer_center.models.budget import BudgetRule
from customer_center.models.order import Order
from customer_center.models.user import User, UserRole
from customer_center.services.people.budgets import as_limits, company_currency, local_today

BUDGET_PAGE_SIZE = 20


@dataclass(frozen=True)
class BudgetUse:
    user_id: int
    name: str
    period: str | None  # month | quarter | year; None: no period budget
    budget_cents: int | None
    spent_cents: int
    reserved_cents: int
    remaining_cents: int | None


@dataclass(frozen=True)
class BudgetPage:
    rows: list[BudgetUse]
    page: int
    page_count: int
    total: int
    currency: str


def budget_use_page(
    session: Session, principal: CustomerUser, *, page: int = 0, today: date | None = None
) -> BudgetPage:
    """Active users by name, one page, each with their period budget and its use so far.

    A fixed number of queries per page: the users, the company's default rules, the page's
    own rules and roles, and one sum per kind of period among them.
    """
    principal.require(Permission.REPORTS_VIEW)
    today = today or local_today()
    company = principal.company_id
    active = and_(col(User.company_id) == company, col(User.status) == UserStatus.ACTIVE)
    total = int(session.exec(select(func.count()).select_from(User).where(active)).one())
    page_count = max(1, -(-total // BUDGET_PAGE_SIZE))
    page = min(max(page, 0), page_count - 1)
    users = session.exec(
        select(User.id, User.name)
        .where(active)
        .order_by(col(User.name), col(User.id))
        .offset(page * BUDGET_PAGE_SIZE)
        .limit(BUDGET_PAGE_SIZE)
    ).all()
    ids = [user_id for user_id, _ in users]
    limits = _limits_of(session, company, ids)  # type: ignore[arg-type]
    spending = _spending_of(session, company, limits, today)
    rows = []
    for user_id, name in users:
        assert user_id is not None
        user_limits = limits[user_id]
        used = spending.get(user_id, Spending())
        rows.append(
            BudgetUse(
                user_id=user_id,
                name=name,
                period=user_limits.period if user_limits.period_budget_cents is not None else None,
                budget_cents=user_limits.period_budget_cents,
                spent_cents=used.spent_cents,
                reserved_cents=used.reserved_cents,
                remaining_cents=remaining_cents(user_limits, used),
            )
        )
    return BudgetPage(rows, page, page_count, total, company_currency(session, company))


def _limits_of(session: Session, company_id: int, user_ids: list[int]) -> dict[int, Limits]:
    """Each user's effective limits, as services.budgets.effective_limits_for, in batch."""
    if not user_ids:
        return {}
    rules = session.exec(
        select(BudgetRule).where(
            BudgetRule.company_id == company_id,
            (col(BudgetRule.scope).in_((RuleScope.COMPANY, RuleScope.ROLE)))
            | (
                (col(BudgetRule.scope) == RuleScope.USER) & col(BudgetRule.subject_id).in_(user_ids)
            ),
        )
    ).all()
    company = next((as_limits(r) for r in rules if r.scope == RuleScope.COMPANY), None)
    by_role = {r.subject_id: as_limits(r) for r in rules if r.scope == RuleScope.ROLE}
    own = {r.subject_id: as_limits(r) for r in rules if r.scope == RuleScope.USER}
    roles: dict[int, list[int]] = defaultdict(list)
    for user_id, role_id in session.exec(
        select(UserRole.user_id, UserRole.role_id).where(col(UserRole.user_id).in_(user_ids))
    ).all():
        roles[user_id].append(role_id)
    return {
        user_id: effective_limits(
            own.get(user_id),
            [by_role[r] for r in roles[user_id] if r in by_role],
            company,
        )[0]
        for user_id in user_ids
    }


def _spending_of(
    session: Session, company_id: int, limits: dict[int, Limits], today: date
) -> dict[int, Spending]:
    """Spent and reserved in each user's current period: one query per kind of period."""
    by_period: dict[str, list[int]] = defaultdict(list)
    for user_id, user_limits in limits.items():
        if user_limits.period in PERIODS and user_limits.period_budget_cents is not None:
            by_period[user_limits.period].append(user_id)
    found: dict[int, Spending] = {}
    for period, user_ids in by_period.items():
        start, end = period_bounds(period, today)
        reserving = col(Order.status).in_(RESERVING_STATUSES)
        rows = session.execute(
            sa_select(
                col(Order.requester_id),
                func.sum(case((reserving, 0), else_=Order.total_cents)),
                func.sum(case((reserving, Order.total_cents), else_=0)),
            )
            .where(
                col(Order.company_id) == company_id,
                col(Order.requester_id).in_(user_ids),
                col(Order.submitted_at) >= start_of_local_day(start),
                col(Order.submitted_at) < start_of_local_day(end),
                ~col(Order.status).in_(NOT_COUNTED_STATUSES),
            )
            .group_by(col(Order.requester_id))
        ).all()
        for user_id, spent, reserved in rows:
            found[user_id] = Spending(int(spent or 0), int(reserved or 0))
    return found
