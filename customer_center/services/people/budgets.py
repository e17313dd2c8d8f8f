"""Budgets as stored rules: edit them, find the ones that apply, count what is spent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.domain.budgets import (
    PERIODS,
    AmountError,
    LimitBreach,
    Limits,
    OrderFigures,
    Spending,
    effective_limits,
    limit_breaches,
    parse_money,
    period_bounds,
    remaining_cents,
)
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.inputs import parse_whole
from customer_center.domain.order_states import NOT_COUNTED_STATUSES, RESERVING_STATUSES
from customer_center.domain.people import RuleScope
from customer_center.domain.permissions import Permission
from customer_center.domain.portal_time import local_today, start_of_local_day
from customer_center.domain.principals import CustomerUser
from customer_center.models.base import utcnow
from customer_center.models.budget import BudgetRule
from customer_center.models.company import Company
from customer_center.models.order import Order
from customer_center.models.user import Role, User, UserRole
from customer_center.services import audit

SCOPES = (RuleScope.COMPANY, RuleScope.ROLE, RuleScope.USER)
MAX_QUANTITY = 10**9
# Periods run from midnight to midnight where the customers are (the seller's time zone, as
# customer_center.domain.portal_time names), not in UTC.


def as_limits(rule: BudgetRule) -> Limits:
    """A stored rule as the limits it sets."""
    return Limits(
        rule.max_quantity_per_order,
        rule.max_order_value_cents,
        rule.period,
        rule.period_budget_cents,
    )


def check_subject(session: Session, principal: CustomerUser, *, scope: str, subject_id: int) -> int:
    """The subject of a rule must belong to the principal's company; the company is subject 0."""
    if scope == RuleScope.COMPANY:
        return 0
    table: type[Role] | type[User] | None = (
        Role if scope == RuleScope.ROLE else User if scope == RuleScope.USER else None
    )
    row = session.get(table, subject_id) if table and isinstance(subject_id, int) else None
    if row is None or row.company_id != principal.company_id:  # type: ignore[attr-defined]
        raise ServiceError("admin.not_found")
    return subject_id


def _rule(session: Session, company_id: int, scope: str, subject_id: int) -> BudgetRule | None:
    return session.exec(
        select(BudgetRule).where(
            BudgetRule.company_id == company_id,
            BudgetRule.scope == scope,
            BudgetRule.subject_id == subject_id,
        )
    ).first()


def rule_of(
    session: Session, principal: CustomerUser, *, scope: str, subject_id: int
) -> Limits | None:
    subject = check_subject(session, principal, scope=scope, subject_id=subject_id)
    rule = _rule(session, principal.company_id, scope, subject)
    return as_limits(rule) if rule else None


def _parse_quantity(text: str) -> int | None:
    if not text:
        return None
    quantity = parse_whole(text, MAX_QUANTITY)
    if quantity is None:
        raise AmountError("budget.error.quantity")
    return quantity


def _parse_amount(text: str, lang: str) -> int | None:
    return parse_money(text, lang) if text else None


def parse_limits(values: dict[str, str], lang: str) -> Limits:
    """The form's four fields as limits; blank means no limit. Raises ValidationFailed
    naming every wrong field at once."""
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    parsed: dict[str, int | None] = {}
    readers = {
        "max_quantity": _parse_quantity,
        "max_order_value": lambda text: _parse_amount(text, lang),
        "period_budget": lambda text: _parse_amount(text, lang),
    }
    for name, read in readers.items():
        try:
            parsed[name] = read(str(values.get(name) or "").strip())
        except AmountError as problem:
            errors[name], parsed[name] = (problem.code, {}), None
    period = str(values.get("period") or "").strip()
    if period and period not in PERIODS:
        errors["period"] = ("budget.error.period_required", {})
    elif period and parsed["period_budget"] is None and "period_budget" not in errors:
        errors["period_budget"] = ("budget.error.budget_required", {})
    elif not period and parsed["period_budget"] is not None:
        errors["period"] = ("budget.error.period_required", {})
    if errors:
        raise ValidationFailed(errors)
    return Limits(
        parsed["max_quantity"], parsed["max_order_value"], period or None, parsed["period_budget"]
    )


def save_rule(
    session: Session,
    principal: CustomerUser,
    *,
    scope: str,
    subject_id: int,
    values: dict[str, str],
) -> None:
    subject = check_subject(session, principal, scope=scope, subject_id=subject_id)
    limits = parse_limits(values, principal.language)
    rule = _rule(session, principal.company_id, scope, subject)
    before = as_limits(rule).__dict__ if rule else None
    rule = rule or BudgetRule(company_id=principal.company_id, scope=scope, subject_id=subject)
    rule.max_quantity_per_order = limits.max_quantity_per_order
    rule.max_order_value_cents = limits.max_order_value_cents
    rule.period, rule.period_budget_cents = limits.period, limits.period_budget_cents
    rule.updated_at = utcnow()
    session.add(rule)
    audit.record_admin(
        session,
        principal,
        action="budget.saved",
        target_type=f"budget_{scope}",
        target_id=subject,
        before=before,
        after=dict(limits.__dict__),
    )


def clear_rule(session: Session, principal: CustomerUser, *, scope: str, subject_id: int) -> None:
    """Remove a rule: the user falls back to their roles' or the company's default."""
    subject = check_subject(session, principal, scope=scope, subject_id=subject_id)
    rule = _rule(session, principal.company_id, scope, subject)
    if rule is None:
        return
    before = dict(as_limits(rule).__dict__)
    session.delete(rule)
    audit.record_admin(
        session,
        principal,
        action="budget.cleared",
        target_type=f"budget_{scope}",
        target_id=subject,
        before=before,
    )


def effective_limits_for(
    session: Session, company_id: int, user_id: int
) -> tuple[Limits, str | None]:
    rules = session.exec(select(BudgetRule).where(BudgetRule.company_id == company_id)).all()
    role_ids = set(session.exec(select(UserRole.role_id).where(UserRole.user_id == user_id)).all())
    own = next((r for r in rules if r.scope == RuleScope.USER and r.subject_id == user_id), None)
    company = next((r for r in rules if r.scope == RuleScope.COMPANY), None)
    roles = [as_limits(r) for r in rules if r.scope == RuleScope.ROLE and r.subject_id in role_ids]
    return effective_limits(
        as_limits(own) if own else None, roles, as_limits(company) if company else None
    )


def spending_of(
    session: Session, company_id: int, user_id: int, limits: Limits, today: date
) -> Spending:
    """Spent and reserved in the current period of ``limits``, summed in SQL by order status
    (index ``ix_order_company_requester_submitted``); nothing without a period."""
    if limits.period is None:
        return Spending()
    start, end = period_bounds(limits.period, today)
    rows = session.exec(
        select(Order.status, func.coalesce(func.sum(Order.total_cents), 0))
        .where(
            Order.company_id == company_id,
            Order.requester_id == user_id,
            col(Order.submitted_at) >= start_of_local_day(start),
            col(Order.submitted_at) < start_of_local_day(end),
            col(Order.status).not_in(NOT_COUNTED_STATUSES),
        )
        .group_by(col(Order.status))
    ).all()
    reserved = sum(total for status, total in rows if status in RESERVING_STATUSES)
    spent = sum(total for status, total in rows if status not in RESERVING_STATUSES)
    return Spending(spent_cents=int(spent), reserved_cents=int(reserved))


def company_currency(session: Session, company_id: int) -> str:
    company = session.get(Company, company_id)
    return company.currency if company else "EUR"


@dataclass(frozen=True)
class BudgetSituation:
    limits: Limits
    source: str | None
    spending: Spending
    remaining_cents: int | None
    period_start: date | None
    period_end: date | None
    currency: str


def budget_situation(
    session: Session, principal: CustomerUser, *, user_id: int, today: date | None = None
) -> BudgetSituation:
    """A user's limits and period figures: one's own, or anyone's of the company for holders
    of budgets.manage or users.manage."""
    if user_id != principal.user_id:
        principal.require(Permission.BUDGETS_MANAGE, Permission.USERS_MANAGE)
        check_subject(session, principal, scope=RuleScope.USER, subject_id=user_id)
    return situation_of(session, principal.company_id, user_id, today or local_today())


def situation_of(session: Session, company_id: int, user_id: int, today: date) -> BudgetSituation:
    """A user's limits and current-period figures, without a rights check (callers check)."""
    limits, source = effective_limits_for(session, company_id, user_id)
    spending = spending_of(session, company_id, user_id, limits, today)
    bounds = period_bounds(limits.period, today) if limits.period else (None, None)
    return BudgetSituation(
        limits,
        source,
        spending,
        remaining_cents(limits, spending),
        bounds[0],
        bounds[1],
        company_currency(session, company_id),
    )


@dataclass(frozen=True)
class BudgetDefaults:
    currency: str
    company: Limits | None
    roles: dict[int, Limits]  # role id -> its default; roles without one are left out


def budget_defaults(session: Session, principal: CustomerUser) -> BudgetDefaults:
    """The company's default and every role's default, for the budgets page (one query)."""
    rules = session.exec(
        select(BudgetRule).where(
            BudgetRule.company_id == principal.company_id,
            col(BudgetRule.scope).in_((RuleScope.COMPANY, RuleScope.ROLE)),
        )
    ).all()
    company = next((as_limits(r) for r in rules if r.scope == RuleScope.COMPANY), None)
    roles = {r.subject_id: as_limits(r) for r in rules if r.scope == RuleScope.ROLE}
    return BudgetDefaults(company_currency(session, principal.company_id), company, roles)


def order_breaches(
    session: Session,
    company_id: int,
    user_id: int,
    order: OrderFigures,
    today: date | None = None,
) -> list[LimitBreach]:
    """What the ordering flow asks when an order is submitted.

    Locks the requester's row first (``SELECT … FOR UPDATE`` on PostgreSQL), so two orders
    of the same user submitted at once are checked one after the other and cannot both slip
    under the period budget; the lock lasts until the caller's transaction ends.
    """
    session.exec(
        select(User.id).where(User.id == user_id, User.company_id == company_id).with_for_update()
    ).first()
    limits, _source = effective_limits_for(session, company_id, user_id)
    spending = spending_of(session, company_id, user_id, limits, today or local_today())
    return limit_breaches(order, limits, spending)
