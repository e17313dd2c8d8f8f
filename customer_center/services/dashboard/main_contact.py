"""The main contact's dashboard: the company's setup until it is done, invitations not yet
accepted, and the approvals that have waited longest across the company."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_
from sqlmodel import Session, col, select

from customer_center.domain import routes
from customer_center.domain.errors import ServiceError
from customer_center.domain.people import RuleScope, UserStatus
from customer_center.domain.permissions import BUILTIN_ROLES, Permission
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import ErpClient
from customer_center.models.budget import BudgetRule
from customer_center.models.identity import SsoConfig
from customer_center.models.user import Role, RolePermission, User, UserRole
from customer_center.services.controlling import WaitingApproval, approval_report
from customer_center.services.people.erp_contacts import erp_contacts_not_yet_users

SHOWN_INVITED = 5
SHOWN_WAITING = 3
# Built-in roles whose holders decide approvals.
_APPROVER_ROLES = sorted(
    code for code, rights in BUILTIN_ROLES.items() if Permission.APPROVALS_DECIDE in rights
)


@dataclass(frozen=True)
class SetupStep:
    code: str  # default_budget | approver | erp_users | sso
    done: bool
    route: str  # where to do it


@dataclass(frozen=True)
class Invited:
    user_id: int
    name: str
    email: str
    invited_at: datetime


@dataclass(frozen=True)
class CompanyView:
    setup: list[SetupStep]
    invited: list[Invited]  # the oldest invitations first
    invited_count: int
    longest_waiting: list[WaitingApproval]
    orders_waiting: int


def company_view(session: Session, principal: CustomerUser, *, erp: ErpClient) -> CompanyView:
    """For the company's main contact only (others are refused)."""
    me = session.get(User, principal.user_id)
    if me is None or me.company_id != principal.company_id or not me.is_main_contact:
        raise ServiceError("error.permission_denied")
    invited, invited_count = _invited(session, principal.company_id)
    report = approval_report(session, principal)
    return CompanyView(
        setup=setup_steps(session, principal, erp=erp),
        invited=invited,
        invited_count=invited_count,
        longest_waiting=report.oldest[:SHOWN_WAITING],
        orders_waiting=report.orders_waiting,
    )


def setup_steps(session: Session, principal: CustomerUser, *, erp: ErpClient) -> list[SetupStep]:
    company = principal.company_id
    default_budget = session.exec(
        select(BudgetRule.id).where(
            BudgetRule.company_id == company, BudgetRule.scope == RuleScope.COMPANY
        )
    ).first()
    sso = session.exec(select(SsoConfig.id).where(SsoConfig.company_id == company)).first()
    left_in_erp = erp_contacts_not_yet_users(session, principal, erp=erp, page_size=1).total
    return [
        SetupStep("default_budget", default_budget is not None, routes.BUDGETS),
        SetupStep("approver", _has_approver(session, principal), routes.USERS),
        SetupStep("erp_users", left_in_erp == 0, routes.USERS_ERP),
        SetupStep("sso", sso is not None, routes.COMPANY_SIGN_IN),
    ]


def _has_approver(session: Session, principal: CustomerUser) -> bool:
    """Someone besides the main contact, active, who may decide approvals."""
    custom_right = exists().where(
        col(RolePermission.role_id) == col(Role.id),
        col(RolePermission.permission) == Permission.APPROVALS_DECIDE.value,
    )
    deciding_role = or_(
        and_(col(Role.is_builtin).is_(True), col(Role.code).in_(_APPROVER_ROLES)),
        and_(col(Role.is_builtin).is_(False), custom_right),
    )
    found = session.exec(
        select(User.id)
        .join(UserRole, col(UserRole.user_id) == col(User.id))
        .join(Role, col(Role.id) == col(UserRole.role_id))
        .where(
            User.company_id == principal.company_id,
            User.status == UserStatus.ACTIVE,
            col(User.is_main_contact).is_(False),
            deciding_role,
        )
        .limit(1)
    ).first()
    return found is not None


def _invited(session: Session, company_id: int) -> tuple[list[Invited], int]:
    waiting = (User.company_id == company_id, User.status == UserStatus.INVITED)
    count = session.exec(select(func.count()).select_from(User).where(*waiting)).one()
    rows = session.exec(
        select(User.id, User.name, User.email, User.created_at)
        .where(*waiting)
        .order_by(col(User.created_at), col(User.id))
        .limit(SHOWN_INVITED)
    ).all()
    return [Invited(uid or 0, name, email, at) for uid, name, email, at in rows], int(count)
