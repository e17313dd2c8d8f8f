"""Budgets as stored rules: edit them, find the ones that apply, count what is spent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.auth.sessions import Actor
from customer_center.domain.budgets import (
    PERIODS,
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
from customer_center.domain.permissions import Permission
from customer_center.models.base import utcnow
from customer_center.models.budget import SCOPE_COMPANY, SCOPE_ROLE, SCOPE_USER, BudgetRule
from customer_center.models.company import Company
from customer_center.models.order import NOT_COUNTED_STATUSES, RESERVING_STATUSES, Order
from customer_center.models.user import Role, User, UserRole
from customer_center.services import audit
from customer_center.services.permissions import permissions_of

SCOPES = (SCOPE_COMPANY, SCOPE_ROLE, SCOPE_USER)
MAX_QUANTITY = 10**9


def _as_limits(rule: BudgetRule) -> Limits:
    return Limits(
        rule.max_quantity_per_order,
        rule.max_order_value_cents,
        rule.period,
        rule.period_budget_cents,
    )


def check_subject(session: Session, actor: Actor, scope: str, subject_id: int) -> int:
    """The subject of a rule must belong to the actor's company; the company is subject 0."""
    if scope == SCOPE_COMPANY:
        return 0
    table: type[Role] | type[User] | None = (
        Role if scope == SCOPE_ROLE else User if scope == SCOPE_USER else None
    )
    row = session.get(table, subject_id) if table and isinstance(subject_id, int) else None
    if row is None or row.company_id != actor.company_id:  # type: ignore[attr-defined]
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


def rule_of(session: Session, actor: Actor, scope: str, subject_id: int) -> Limits | None:
    subject = check_subject(session, actor, scope, subject_id)
    rule = _rule(session, actor.company_id, scope, subject)
    return _as_limits(rule) if rule else None


def parse_limits(values: dict[str, str], lang: str) -> Limits:
    """The form's four fields as limits; blank means no limit. Raises ValidationFailed."""
    errors: dict[str, tuple[str, dict[str, object]]] = {}
    parsed: dict[str, int | None] = {}
    quantity = values.get("max_quantity", "").strip()
    if quantity and not (quantity.isdigit() and 0 < int(quantity) <= MAX_QUANTITY):
        errors["max_quantity"] = ("budget.error.quantity", {})
    parsed["max_quantity"] = int(quantity) if quantity and "max_quantity" not in errors else None
    for name in ("max_order_value", "period_budget"):
        text = values.get(name, "").strip()
        parsed[name] = None
        if text:
            try:
                parsed[name] = parse_money(text, lang)
            except ValueError as problem:
                errors[name] = (str(problem), {})
    period = values.get("period", "").strip()
    period = period if period in PERIODS else ""
    if period and parsed["period_budget"] is None and "period_budget" not in errors:
        errors["period_budget"] = ("budget.error.budget_required", {})
    if parsed["period_budget"] is not None and not period:
        errors["period"] = ("budget.error.period_required", {})
    if errors:
        raise ValidationFailed(errors)
    return Limits(
        parsed["max_quantity"], parsed["max_order_value"], period or None, parsed["period_budget"]
    )


def save_rule(
    session: Session, actor: Actor, scope: str, subject_id: int, values: dict[str, str]
) -> None:
    subject = check_subject(session, actor, scope, subject_id)
    limits = parse_limits(values, actor.language)
    rule = _rule(session, actor.company_id, scope, subject)
    before = _as_limits(rule).__dict__ if rule else None
    rule = rule or BudgetRule(company_id=actor.company_id, scope=scope, subject_id=subject)
    rule.max_quantity_per_order = limits.max_quantity_per_order
    rule.max_order_value_cents = limits.max_order_value_cents
    rule.period, rule.period_budget_cents = limits.period, limits.period_budget_cents
    rule.updated_at = utcnow()
    session.add(rule)
    audit.record_admin(
        session,
        actor,
        "budget.saved",
        target_type=f"budget_{scope}",
        target_id=subject,
        before=before,
        after=dict(limits.__dict__),
    )


def clear_rule(session: Session, actor: Actor, scope: str, subject_id: int) -> None:
    """Remove a rule: the user falls back to their roles' or the company's default."""
    subject = check_subject(session, actor, scope, subject_id)
    rule = _rule(session, actor.company_id, scope, subject)
    if rule is None:
        return
    before = dict(_as_limits(rule).__dict__)
    session.delete(rule)
    audit.record_admin(
        session,
        actor,
        "budget.cleared",
        target_type=f"budget_{scope}",
        target_id=subject,
        before=before,
    )


def effective_limits_for(
    session: Session, company_id: int, user_id: int
) -> tuple[Limits, str | None]:
    rules = session.exec(select(BudgetRule).where(BudgetRule.company_id == company_id)).all()
    role_ids = set(session.exec(select(UserRole.role_id).where(UserRole.user_id == user_id)).all())
    own = next((r for r in rules if r.scope == SCOPE_USER and r.subject_id == user_id), None)
    company = next((r for r in rules if r.scope == SCOPE_COMPANY), None)
    roles = [_as_limits(r) for r in rules if r.scope == SCOPE_ROLE and r.subject_id in role_ids]
    return effective_limits(
        _as_limits(own) if own else None, roles, _as_limits(company) if company else None
    )


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def spending_of(
    session: Session, company_id: int, user_id: int, period: str | None, today: date
) -> Spending:
    """Spent and reserved in the current period, summed in SQL by order status."""
    if period is None:
        return Spending()
    start, end = period_bounds(period, today)
    rows = session.exec(
        select(Order.status, func.coalesce(func.sum(Order.total_cents), 0))
        .where(
            Order.company_id == company_id,
            Order.requester_id == user_id,
            col(Order.submitted_at) >= _start_of(start),
            col(Order.submitted_at) < _start_of(end),
            col(Order.status).not_in(NOT_COUNTED_STATUSES),
        )
        .group_by(col(Order.status))
    ).all()
    reserved = sum(total for status, total in rows if status in RESERVING_STATUSES)
    spent = sum(total for status, total in rows if status not in RESERVING_STATUSES)
    return Spending(spent_cents=int(spent), reserved_cents=int(reserved))


@dataclass(frozen=True)
class BudgetSituation:
    limits: Limits
    source: str | None
    spending: Spending
    remaining_cents: int | None
    period_start: date | None
    period_end: date | None
    currency: str


def budget_situation(session: Session, actor: Actor, user_id: int, today: date) -> BudgetSituation:
    """A user's limits and period figures: one's own, or anyone's for budget/user managers."""
    if user_id != actor.user_id:
        rights = permissions_of(session, actor.user_id, actor.company_id)
        if not rights & {Permission.BUDGETS_MANAGE, Permission.USERS_MANAGE}:
            raise ServiceError("error.permission_denied")
        check_subject(session, actor, SCOPE_USER, user_id)
    limits, source = effective_limits_for(session, actor.company_id, user_id)
    spending = spending_of(session, actor.company_id, user_id, limits.period, today)
    bounds = period_bounds(limits.period, today) if limits.period else (None, None)
    company = session.get(Company, actor.company_id)
    return BudgetSituation(
        limits,
        source,
        spending,
        remaining_cents(limits, spending),
        bounds[0],
        bounds[1],
        company.currency if company else "EUR",
    )


def order_breaches(
    session: Session, company_id: int, user_id: int, order: OrderFigures, today: date
) -> list[LimitBreach]:
    """What the ordering flow asks when an order is submitted."""
    limits, _source = effective_limits_for(session, company_id, user_id)
    return limit_breaches(
        order, limits, spending_of(session, company_id, user_id, limits.period, today)
    )
