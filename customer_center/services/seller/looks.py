"""Every look of an agent into a company is audited in that company's log.

An entry names the agent (actor kind ``seller_agent``, the agent's id, no customer user),
what was looked at (``seller.viewed_*``) and its target. The customer's audit log shows it
to the main contact as "<seller>'s customer care looked at ...".
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.inputs import MAX_ID
from customer_center.domain.principals import PrincipalKind, SellerAgent
from customer_center.domain.staff import StaffPermission
from customer_center.models.audit import AuditEntry
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.services import audit

# The same look again within this time is not recorded again: paging through the same list,
# switching its filter back and forth or reloading the page would fill the customer's log
# with copies that tell nothing new (the first look already says who looked at what, when).
LOOK_WINDOW = timedelta(minutes=1)

VIEWED_COMPANY = "seller.viewed_company"
VIEWED_USERS = "seller.viewed_users"
VIEWED_SETUP = "seller.viewed_setup"  # budgets, approver chains and the route preview
VIEWED_APPROVALS = "seller.viewed_approvals"
VIEWED_ORDERS = "seller.viewed_orders"
VIEWED_ORDER = "seller.viewed_order"
VIEWED_AUDIT_LOG = "seller.viewed_audit_log"
LOOKS = (
    VIEWED_COMPANY,
    VIEWED_USERS,
    VIEWED_SETUP,
    VIEWED_APPROVALS,
    VIEWED_ORDERS,
    VIEWED_ORDER,
    VIEWED_AUDIT_LOG,
)
NOT_FOUND = "seller360.error.company_not_found"


def company_to_view(session: Session, principal: SellerAgent, *, company_id: object) -> Company:
    """The company an agent asks for, after checking ``seller.view``; "not found" for an id
    that names no company (or is no id at all)."""
    principal.require(StaffPermission.VIEW)
    wanted = row_id(company_id)
    company = session.get(Company, wanted) if wanted is not None else None
    if company is None:
        raise ServiceError(NOT_FOUND)
    return company


def row_id(value: object) -> int | None:
    """An id as the client sent it, if it can name a row (an int within the column's range:
    PostgreSQL refuses a larger one with an error)."""
    return value if type(value) is int and 0 < value <= MAX_ID else None


def record_look(
    session: Session,
    principal: SellerAgent,
    *,
    company_id: int,
    action: str,
    target_type: str = "company",
    target_id: object = None,
) -> bool:
    """Record that the agent looked at ``target`` of the company (the company itself when
    no target is given), unless the same look was recorded within :data:`LOOK_WINDOW`.
    Returns whether an entry was written."""
    target = str(company_id if target_id is None else target_id)
    if _recent_look(session, principal, company_id, action, target_type, target):
        return False
    audit.record(
        session,
        action,
        company_id=company_id,
        by=principal.attribution,
        target_type=target_type,
        target_id=target,
    )
    session.flush()
    return True


def _recent_look(
    session: Session,
    principal: SellerAgent,
    company_id: int,
    action: str,
    target_type: str,
    target_id: str,
) -> bool:
    since = utcnow() - LOOK_WINDOW
    found = session.exec(
        select(AuditEntry.id).where(
            AuditEntry.company_id == company_id,
            AuditEntry.actor_kind == PrincipalKind.SELLER_AGENT,
            AuditEntry.actor_ref == principal.agent_id,
            col(AuditEntry.actor_user_id).is_(None),
            AuditEntry.action == action,
            AuditEntry.target_type == target_type,
            AuditEntry.target_id == target_id,
            col(AuditEntry.created_at) >= since,
        )
    ).first()
    return found is not None
