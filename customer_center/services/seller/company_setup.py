"""A company's budgets and approver chains as the customer set them, and where an order of
a user would go today (the route preview the customer's chains page shows).

Read-only; every call records the look in the company's audit log (:mod:`looks`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from customer_center.domain.budgets import Limits
from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_DB_INT
from customer_center.domain.people import RuleScope
from customer_center.domain.principals import SellerAgent
from customer_center.domain.refs import ChainRef, RoleRef
from customer_center.models.approval import ApprovalChain
from customer_center.models.budget import BudgetRule
from customer_center.models.user import Role, User
from customer_center.services.people.budgets import as_limits, local_today
from customer_center.services.people.chains import Preview, company_preview, levels_from_json
from customer_center.services.people.names import names_of
from customer_center.services.seller.looks import (
    VIEWED_SETUP,
    company_to_view,
    record_look,
    row_id,
)

_SCOPE_ORDER = {RuleScope.COMPANY: 0, RuleScope.ROLE: 1, RuleScope.USER: 2}


@dataclass(frozen=True)
class BudgetView:
    subject: ChainRef  # whose limits: the company's default, a role's or a user's
    limits: Limits


@dataclass(frozen=True)
class ChainLevelView:
    number: int  # 1-based
    rule: str  # any | all
    min_order_value_cents: int | None
    approvers: tuple[str | RoleRef, ...]  # a user's name, or a role ("?": gone since)


@dataclass(frozen=True)
class ChainView:
    subject: ChainRef
    levels: list[ChainLevelView]


@dataclass(frozen=True)
class CompanySetup:
    currency: str
    budgets: list[BudgetView]
    chains: list[ChainView]


def company_setup(session: Session, principal: SellerAgent, *, company_id: object) -> CompanySetup:
    """Every budget rule and approver chain of the company: the company's default first,
    then the roles', then the users'."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    record_look(session, principal, company_id=company.id, action=VIEWED_SETUP)
    rules = session.exec(select(BudgetRule).where(BudgetRule.company_id == company.id)).all()
    chains = session.exec(select(ApprovalChain).where(ApprovalChain.company_id == company.id)).all()
    subjects = _Subjects(session, company.id, [*rules, *chains])
    budgets = [BudgetView(subjects.ref(r.scope, r.subject_id), as_limits(r)) for r in rules]
    chain_views = [
        ChainView(subjects.ref(c.scope, c.subject_id), subjects.levels(c.levels)) for c in chains
    ]
    return CompanySetup(
        currency=company.currency,
        budgets=sorted(budgets, key=lambda b: _sort_key(b.subject)),
        chains=sorted(chain_views, key=lambda c: _sort_key(c.subject)),
    )


def route_preview(
    session: Session,
    principal: SellerAgent,
    *,
    company_id: object,
    user_id: object,
    order_value_cents: object,
) -> Preview:
    """Where an order of ``order_value_cents`` by the company's user would go today."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    wanted = row_id(user_id)
    user = session.get(User, wanted) if wanted is not None else None
    if user is None or user.company_id != company.id or user.id is None:
        raise ServiceError("admin.not_found")
    if type(order_value_cents) is not int or not 0 <= order_value_cents <= MAX_DB_INT:
        raise ServiceError("seller360.error.amount")
    record_look(
        session,
        principal,
        company_id=company.id,
        action=VIEWED_SETUP,
        target_type="user",
        target_id=user.id,
    )
    return company_preview(
        session,
        company.id,
        user_id=user.id,
        order_value_cents=order_value_cents,
        today=local_today(),
    )


def _sort_key(subject: ChainRef) -> tuple[int, str, int]:
    name = subject.role.name if subject.role else subject.user_name
    return (_SCOPE_ORDER.get(RuleScope(subject.scope), 3), name.lower(), subject.subject_id)


class _Subjects:
    """The names of the roles and users that rules and chains mention, read once."""

    def __init__(
        self, session: Session, company_id: int, rows: list[BudgetRule | ApprovalChain]
    ) -> None:
        roles = session.exec(
            select(Role).where(Role.company_id == company_id).order_by(col(Role.id))
        ).all()
        self.roles = {r.id: RoleRef(r.code, r.name, r.is_builtin) for r in roles}
        user_ids = {r.subject_id for r in rows if r.scope == RuleScope.USER}
        for row in rows:
            if isinstance(row, ApprovalChain):
                for level in row.levels:
                    for approver in level.get("approvers", []):
                        if isinstance(approver.get("user_id"), int):
                            user_ids.add(approver["user_id"])
        self.users = names_of(session, company_id, user_ids)

    def ref(self, scope: str, subject_id: int) -> ChainRef:
        if scope == RuleScope.ROLE:
            return ChainRef(scope, role=self.roles.get(subject_id), subject_id=subject_id)
        if scope == RuleScope.USER:
            return ChainRef(scope, user_name=self.users.get(subject_id, ""), subject_id=subject_id)
        return ChainRef(RuleScope.COMPANY)

    def levels(self, stored: list[dict[str, object]]) -> list[ChainLevelView]:
        views = []
        for number, level in enumerate(levels_from_json(stored), start=1):
            approvers: list[str | RoleRef] = [
                self.users.get(a.user_id, "?")
                if a.user_id is not None
                else self.roles.get(a.role_id or 0, "?")
                for a in level.approvers
            ]
            views.append(
                ChainLevelView(number, level.rule, level.min_order_value_cents, tuple(approvers))
            )
        return views
