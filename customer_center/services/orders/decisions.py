"""Deciding an order: approve, reject, and the requester's cancellation."""

from __future__ import annotations

from sqlmodel import Session

from customer_center.domain import approval_steps
from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import EventKind, OrderStatus
from customer_center.domain.orders import (
    is_open,
)
from customer_center.domain.principals import CustomerUser
from customer_center.models.base import utcnow
from customer_center.models.order import ApprovalStep, Order
from customer_center.services.orders import mails
from customer_center.services.orders.access import (
    comment_text,
    lock_version,
    open_steps,
    seen_order,
    step_of,
    store,
    supersede_open_steps,
    user_name,
    visible_order,
)
from customer_center.services.orders.events import add_event
from customer_center.services.orders.handoff import enqueue_handoff
from customer_center.services.people.budgets import (
    local_today,
)
from customer_center.services.people.chains import deciders_today
from customer_center.settings import Settings


def approve(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    order_id: object,
    seen_version: object,
    comment: str = "",
) -> str:
    """Approve the principal's part of the current level; returns the order's new status."""
    comment = comment_text(comment, required=False)
    order, viewer = visible_order(session, principal, order_id=order_id)
    lock_version(session, order, seen_version)
    rows = open_steps(session, order)
    outcome = approval_steps.approve([step_of(r) for r in rows], viewer.decider, order.requester_id)
    now = utcnow()
    store(session, rows, outcome, now)
    add_event(
        session,
        order,
        EventKind.APPROVED,
        principal.attribution,
        body=comment,
        data={
            "level": outcome.level,
            "final": outcome.final,
            "on_behalf_of": list(outcome.on_behalf_of),
        },
    )
    if outcome.final:
        order.status, order.decided_at = outcome.order_status, now
        session.add(order)
        session.flush()
        enqueue_handoff(session, order)
        mails.order_approved(session, settings, order, user_name(session, principal.user_id))
    elif outcome.started:
        session.flush()
        _request_decisions(session, settings, order, [r for r in rows if r.id in outcome.started])
    session.flush()
    return order.status


def _request_decisions(
    session: Session, settings: Settings, order: Order, started: list[ApprovalStep]
) -> None:
    """The next level became due: whoever decides its steps today is mailed."""
    approvers = [step.approver_id for step in started]
    deciders = deciders_today(session, order.company_id, approvers, local_today())
    mails.approvals_requested(
        session, settings, order, [d.user_id for d in deciders if d.user_id != order.requester_id]
    )


def reject(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    order_id: object,
    seen_version: object,
    comment: str,
) -> None:
    """Reject (or send back) the order with a comment; the requester may change and resubmit."""
    comment = comment_text(comment, required=True)
    order, viewer = visible_order(session, principal, order_id=order_id)
    lock_version(session, order, seen_version)
    rows = open_steps(session, order)
    outcome = approval_steps.reject([step_of(r) for r in rows], viewer.decider, order.requester_id)
    now = utcnow()
    store(session, rows, outcome, now)
    order.status, order.decided_at = outcome.order_status, now
    session.add(order)
    add_event(session, order, EventKind.REJECTED, principal.attribution, body=comment)
    session.flush()
    mails.order_rejected(session, settings, order, user_name(session, principal.user_id), comment)


def cancel(
    session: Session,
    principal: CustomerUser,
    *,
    order_id: object,
    seen_version: object,
    comment: str = "",
) -> None:
    """The requester withdraws an order that is waiting or was rejected."""
    comment = comment_text(comment, required=False)
    order = seen_order(session, principal, order_id=order_id)
    if order.requester_id != principal.user_id:
        raise ServiceError("orders.error.not_requester")
    lock_version(session, order, seen_version)
    if not is_open(order.status):
        raise ServiceError("orders.error.not_open")
    supersede_open_steps(session, order)
    order.status, order.decided_at = OrderStatus.CANCELLED, utcnow()
    session.add(order)
    add_event(session, order, EventKind.CANCELLED, principal.attribution, body=comment)
