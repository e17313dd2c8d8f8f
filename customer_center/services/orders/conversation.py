"""The order's conversation: messages by anyone who may see the order, from its submission
on (also after the hand-off to the seller), each e-mailed to the others involved.

Who hears of a message is decided in one place, :func:`message_recipients`: the requester,
the approvers who decided or whose decision is awaited (and whoever decides for them today),
and everyone who wrote in the conversation before; never the author; each person once.
Their notification choices are applied where every order e-mail is sent (:mod:`mails`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from customer_center.domain.chains import effective_approver
from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import EventKind, StepStatus
from customer_center.domain.orders import may_write
from customer_center.domain.principals import CustomerUser
from customer_center.models.order import ApprovalStep, Order, OrderEvent
from customer_center.models.user import User
from customer_center.services.orders import mails
from customer_center.services.orders.access import comment_text, seen_order, user_name
from customer_center.services.orders.events import add_event
from customer_center.services.people.budgets import local_today
from customer_center.services.people.chains import routing_directory
from customer_center.settings import Settings

DECIDED = (StepStatus.APPROVED, StepStatus.REJECTED)


def add_comment(
    session: Session,
    principal: CustomerUser,
    *,
    order_id: object,
    settings: Settings,
    text: str,
) -> None:
    """A message in the order's conversation, e-mailed to the others involved."""
    body = comment_text(text, required=True)
    order = seen_order(session, principal, order_id=order_id)
    if not may_write(order.status):
        raise ServiceError("orders.error.not_open")
    add_event(session, order, EventKind.COMMENT, principal.attribution, body=body)
    session.flush()
    author = user_name(session, principal.user_id)
    for user_id in message_recipients(session, order, author_id=principal.user_id):
        mails.message_posted(session, settings, order, session.get(User, user_id), author, body)


def message_recipients(session: Session, order: Order, *, author_id: int) -> list[int]:
    """Everyone involved in ``order`` but the author, once each."""
    involved = {order.requester_id, *_approvers(session, order), *_writers(session, order)}
    involved.discard(author_id)
    return sorted(involved)


def _approvers(session: Session, order: Order) -> Iterable[int]:
    """Who decided a step of the order (any revision), and who is awaited now: the
    designated approver and whoever decides for them today."""
    steps = session.exec(
        select(ApprovalStep).where(
            ApprovalStep.order_id == order.id,
            col(ApprovalStep.status).in_([*DECIDED, StepStatus.WAITING]),
        )
    ).all()
    waiting = {s.approver_id for s in steps if s.status == StepStatus.WAITING}
    today = local_today()
    directory = routing_directory(session, order.company_id, waiting, today) if waiting else None
    for step in steps:
        if step.status in DECIDED:
            yield step.decided_by_id or step.approver_id
            continue
        yield step.approver_id
        if directory is not None:
            yield effective_approver(step.approver_id, directory, today).user_id


def _writers(session: Session, order: Order) -> Iterable[int]:
    """The customer users who wrote in the conversation before."""
    rows = session.exec(
        select(OrderEvent.actor_id).where(
            OrderEvent.order_id == order.id, OrderEvent.kind == EventKind.COMMENT
        )
    ).all()
    return [user_id for user_id in rows if user_id is not None]
