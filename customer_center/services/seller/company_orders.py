"""A company's orders and the approvals it waits for, as the seller's customer care sees
them: every order of the company (the customer's list filtered by status), and every open
approval with its age, oldest first.

Read-only; every call records the look in the company's audit log (:mod:`looks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.domain.budgets import LimitBreach
from customer_center.domain.order_states import OrderStatus, StepStatus
from customer_center.domain.orders import order_number
from customer_center.domain.principals import SellerAgent
from customer_center.models.base import utcnow
from customer_center.models.order import ApprovalStep, Order
from customer_center.services.orders.lists import (
    LISTED_STATUSES,
    OrderFilter,
    OrderPage,
    company_orders_page,
)
from customer_center.services.orders.reasons import reasons_now
from customer_center.services.people.names import names_of
from customer_center.services.seller.companies import MAX_PAGE
from customer_center.services.seller.looks import (
    VIEWED_APPROVALS,
    VIEWED_ORDERS,
    company_to_view,
    record_look,
)

APPROVALS_PAGE_SIZE = 20


def company_orders(
    session: Session,
    principal: SellerAgent,
    *,
    company_id: object,
    status: str = "",
    page: int = 0,
) -> OrderPage:
    """One page of the company's orders, newest first, of one status if ``status`` is one
    the customer's list offers (anything else lists all)."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    record_look(session, principal, company_id=company.id, action=VIEWED_ORDERS)
    shown = status if status in LISTED_STATUSES else ""
    return company_orders_page(
        session,
        company.id,
        order_filter=OrderFilter(status=shown),
        page=min(page, MAX_PAGE) if type(page) is int else 0,
    )


@dataclass(frozen=True)
class OpenApproval:
    order_id: int
    number: str
    requester: str
    total_cents: int
    currency: str
    submitted_at: datetime | None
    waiting_since: datetime  # since the current level began to wait
    age_seconds: int  # how long it has waited, as of the read
    approvers: list[str]  # who the waiting steps are assigned to
    escalated: bool
    reasons: list[LimitBreach]


@dataclass(frozen=True)
class ApprovalsPage:
    rows: list[OpenApproval]
    total: int
    page: int
    page_count: int


def _waiting_query(company_id: int) -> Any:
    return (
        select(col(ApprovalStep.order_id), func.min(ApprovalStep.due_since).label("since"))
        .join(Order, col(Order.id) == col(ApprovalStep.order_id))
        .where(
            ApprovalStep.company_id == company_id,
            ApprovalStep.revision == Order.revision,
            ApprovalStep.status == StepStatus.WAITING,
            Order.status == OrderStatus.PENDING_APPROVAL,
        )
        .group_by(col(ApprovalStep.order_id))
    )


def open_approvals(
    session: Session, principal: SellerAgent, *, company_id: object, page: int = 0
) -> ApprovalsPage:
    """The company's orders waiting for approval, the longest waiting first."""
    company = company_to_view(session, principal, company_id=company_id)
    assert company.id is not None
    record_look(session, principal, company_id=company.id, action=VIEWED_APPROVALS)
    query = _waiting_query(company.id)
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    page_count = max(1, -(-total // APPROVALS_PAGE_SIZE))
    page = min(max(page if type(page) is int else 0, 0), page_count - 1)
    found = session.exec(
        query.order_by("since", col(ApprovalStep.order_id))
        .offset(page * APPROVALS_PAGE_SIZE)
        .limit(APPROVALS_PAGE_SIZE)
    ).all()
    return ApprovalsPage(_rows(session, company.id, list(found)), total, page, page_count)


def _rows(session: Session, company_id: int, found: list[Any]) -> list[OpenApproval]:
    ids = [order_id for order_id, _since in found]
    orders = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_(ids)))}
    steps = session.exec(
        select(ApprovalStep)
        .where(col(ApprovalStep.order_id).in_(ids), ApprovalStep.status == StepStatus.WAITING)
        .order_by(col(ApprovalStep.id))
    ).all()
    names = names_of(
        session,
        company_id,
        [o.requester_id for o in orders.values()] + [s.approver_id for s in steps],
    )
    reasons = reasons_now(session, list(orders.values()))
    now = utcnow()
    rows = []
    for order_id, since in found:
        order = orders[order_id]
        waiting = [s for s in steps if s.order_id == order_id and s.revision == order.revision]
        moment = _aware(since or order.submitted_at or order.created_at)
        rows.append(
            OpenApproval(
                order_id=order_id,
                number=order_number(order),
                requester=names.get(order.requester_id, ""),
                total_cents=order.total_cents,
                currency=order.currency,
                submitted_at=order.submitted_at,
                waiting_since=moment,
                age_seconds=max(0, int((now - moment).total_seconds())),
                approvers=[names.get(s.approver_id, "?") for s in waiting],
                escalated=any(s.escalated_at is not None for s in waiting),
                reasons=reasons.get(order_id, []),
            )
        )
    return rows


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
