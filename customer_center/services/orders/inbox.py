"""The approvals inbox: the orders waiting for the principal's decision, and their count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from customer_center.domain.budgets import LimitBreach
from customer_center.domain.order_states import OrderStatus, StepStatus
from customer_center.domain.orders import (
    order_number,
)
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.order import ApprovalStep, Order
from customer_center.services.orders.access import (
    Viewer,
    decidable_clause,
    viewer_of,
)
from customer_center.services.orders.reasons import reasons_now
from customer_center.services.people.names import names_of

PAGE_SIZE = 20


@dataclass(frozen=True)
class InboxRow:
    order_id: int
    number: str
    requester: str
    total_cents: int
    currency: str
    waiting_since: datetime
    reasons: list[LimitBreach]  # why it waits, with the current figures
    on_behalf_of: list[str]  # names of the approvers the viewer stands in for here
    escalated: bool


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    page_count: int


def _inbox_query(viewer: Viewer) -> Any:
    return (
        select(
            col(ApprovalStep.order_id),
            func.min(ApprovalStep.due_since).label("since"),
        )
        .join(Order, col(Order.id) == col(ApprovalStep.order_id))
        .where(
            ApprovalStep.company_id == viewer.principal.company_id,
            ApprovalStep.status == StepStatus.WAITING,
            Order.status == OrderStatus.PENDING_APPROVAL,
            Order.requester_id != viewer.principal.user_id,
            decidable_clause(viewer),
        )
        .group_by(col(ApprovalStep.order_id))
    )


def waiting_count(session: Session, principal: CustomerUser) -> int:
    """How many orders wait for the principal's decision (the navigation badge)."""
    if not principal.may(Permission.APPROVALS_DECIDE):
        return 0
    query = select(func.count()).select_from(_inbox_query(viewer_of(session, principal)).subquery())
    return int(session.exec(query).one())


def inbox(
    session: Session, principal: CustomerUser, *, page: int = 0, page_size: int = PAGE_SIZE
) -> InboxPage:
    """The orders waiting for the principal, oldest first, one page."""
    principal.require(Permission.APPROVALS_DECIDE)
    viewer = viewer_of(session, principal)
    query = _inbox_query(viewer)
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    page_count = max(1, -(-total // page_size))
    page = min(max(page if type(page) is int else 0, 0), page_count - 1)
    found = session.exec(
        query.order_by("since", col(ApprovalStep.order_id))
        .offset(page * page_size)
        .limit(page_size)
    ).all()
    return InboxPage(_rows(session, viewer, list(found)), total, page, page_count)


def _rows(session: Session, viewer: Viewer, found: list[Any]) -> list[InboxRow]:
    """The rows of (order id, waiting since): the order, why it waits, for whom one decides."""
    principal = viewer.principal
    ids = [order_id for order_id, _since in found]
    orders = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_(ids)))}
    reasons = reasons_now(session, list(orders.values()))
    # Only the steps the viewer decides: a step per member of a role can be a thousand.
    steps = session.exec(
        select(ApprovalStep).where(
            col(ApprovalStep.order_id).in_(ids),
            ApprovalStep.status == StepStatus.WAITING,
            decidable_clause(viewer),
        )
    ).all()
    mine: dict[int, list[ApprovalStep]] = {}
    for step in steps:
        if viewer.may_decide(step):
            mine.setdefault(step.order_id, []).append(step)
    names = names_of(
        session,
        principal.company_id,
        [o.requester_id for o in orders.values()]
        + [s.approver_id for own in mine.values() for s in own],
    )
    rows = []
    for order_id, since in found:
        order = orders[order_id]
        own = mine.get(order_id, [])
        behalf = {names.get(s.approver_id, "?") for s in own if s.approver_id != principal.user_id}
        rows.append(
            InboxRow(
                order_id=order_id,
                number=order_number(order),
                requester=names.get(order.requester_id, ""),
                total_cents=order.total_cents,
                currency=order.currency,
                waiting_since=since,
                reasons=reasons.get(order_id, []),
                on_behalf_of=sorted(behalf),
                escalated=any(s.escalated_at is not None for s in own),
            )
        )
    return rows
