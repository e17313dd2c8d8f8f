"""Deciding an order: approve, reject, and the requester's cancellation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import EventKind, OrderStatus, StepStatus
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
    steps_to_decide,
    user_name,
    visible_order,
)
from customer_center.services.orders.handoff import enqueue_handoff
from customer_center.services.orders.ordering import (
    add_event,
)
from customer_center.services.people.budgets import (
    local_today,
)
from customer_center.services.people.chains import decider_today
from customer_center.settings import Settings


def approve(
    session: Session,
    actor: CustomerUser,
    settings: Settings,
    order_id: object,
    seen_version: object,
    comment: str = "",
) -> str:
    """Approve the actor's part of the current level; returns the order's new status."""
    comment = comment_text(comment, required=False)
    order, viewer = visible_order(session, actor, order_id)
    lock_version(session, order, seen_version)
    steps, mine = steps_to_decide(session, viewer, order)
    now = utcnow()
    level = mine[0].level
    for step in mine:
        if step.level == level:
            step.status, step.decided_by_id, step.decided_at = (
                StepStatus.APPROVED,
                actor.user_id,
                now,
            )
            session.add(step)
    for step in steps:
        if step.level == level and step.status == StepStatus.WAITING and step.rule == "any":
            step.status = StepStatus.SKIPPED
            session.add(step)
    level_done = not any(s.level == level and s.status == StepStatus.WAITING for s in steps)
    later = [s for s in steps if s.status == StepStatus.QUEUED]
    final = level_done and not later
    add_event(
        session,
        order,
        EventKind.APPROVED,
        actor.user_id,
        body=comment,
        data={
            "level": level,
            "final": final,
            "on_behalf_of": sorted({s.approver_id for s in mine if s.approver_id != actor.user_id}),
        },
    )
    if final:
        order.status, order.decided_at = OrderStatus.APPROVED, now
        session.add(order)
        session.flush()
        enqueue_handoff(session, order)
        mails.order_approved(session, settings, order, user_name(session, actor.user_id))
    elif level_done:
        _start_level(session, settings, order, later, now)
    session.flush()
    return order.status


def _start_level(
    session: Session,
    settings: Settings,
    order: Order,
    queued: list[ApprovalStep],
    now: datetime,
) -> None:
    """The next level becomes due: its steps wait, whoever decides them today is mailed."""
    level = min(s.level for s in queued)
    today = local_today()
    for step in queued:
        if step.level != level:
            continue
        step.status, step.due_since = StepStatus.WAITING, now
        session.add(step)
    session.flush()
    for step in queued:
        if step.level == level:
            decider = decider_today(session, order.company_id, step.approver_id, today)
            if decider.user_id != order.requester_id:
                mails.approval_requested(session, settings, order, decider.user_id)


def reject(
    session: Session,
    actor: CustomerUser,
    settings: Settings,
    order_id: object,
    seen_version: object,
    comment: str,
) -> None:
    """Reject (or send back) the order with a comment; the requester may change and resubmit."""
    comment = comment_text(comment, required=True)
    order, viewer = visible_order(session, actor, order_id)
    lock_version(session, order, seen_version)
    steps, mine = steps_to_decide(session, viewer, order)
    now = utcnow()
    mine_ids = {s.id for s in mine if s.level == mine[0].level}
    for step in steps:
        if step.id in mine_ids:
            step.status, step.decided_by_id, step.decided_at = (
                StepStatus.REJECTED,
                actor.user_id,
                now,
            )
        elif step.status in (StepStatus.WAITING, StepStatus.QUEUED):
            step.status = StepStatus.SKIPPED
        session.add(step)
    order.status, order.decided_at = OrderStatus.REJECTED, now
    session.add(order)
    add_event(session, order, EventKind.REJECTED, actor.user_id, body=comment)
    session.flush()
    mails.order_rejected(session, settings, order, user_name(session, actor.user_id), comment)


def cancel(
    session: Session, actor: CustomerUser, order_id: object, seen_version: object, comment: str = ""
) -> None:
    """The requester withdraws an order that is waiting or was rejected."""
    comment = comment_text(comment, required=False)
    order, _viewer = visible_order(session, actor, order_id)
    if order.requester_id != actor.user_id:
        raise ServiceError("orders.error.not_requester")
    lock_version(session, order, seen_version)
    if not is_open(order.status):
        raise ServiceError("orders.error.not_open")
    session.execute(
        update(ApprovalStep)
        .where(
            col(ApprovalStep.order_id) == order.id,
            col(ApprovalStep.status).in_((StepStatus.WAITING, StepStatus.QUEUED)),
        )
        .values(status=StepStatus.SUPERSEDED)
    )
    order.status, order.decided_at = OrderStatus.CANCELLED, utcnow()
    session.add(order)
    add_event(session, order, EventKind.CANCELLED, actor.user_id, body=comment)
