"""Deciding from the e-mail: a signed, single-use link for one approver and one order.

The approval request e-mail links to ``/approve?token=…`` (:mod:`approval_link_tokens`).
The page requires the approver to be signed in (the sign-in page returns there), shows the
order as it is now and asks for one click to approve, or for a comment to reject. The token
only names the order and the approver it was sent to; the decision goes through
:mod:`decisions` with the version the page showed, so a link never decides an order that
changed meanwhile, and it is used up by the decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.domain.principals import CustomerUser
from customer_center.services.identity import one_time_tokens
from customer_center.services.orders.access import visible_order
from customer_center.services.orders.approval_link_tokens import APPROVAL_LINK
from customer_center.services.orders.decisions import approve, reject
from customer_center.services.orders.detail import OrderDetail, order_detail
from customer_center.settings import Settings

APPROVE, REJECT = "approve", "reject"


@dataclass(frozen=True)
class LinkedOrder:
    detail: OrderDetail


def _order_of_link(session: Session, principal: CustomerUser, raw: str, *, use: bool) -> int:
    take = one_time_tokens.consume if use else one_time_tokens.peek
    row = take(session, APPROVAL_LINK, raw)
    if row.user_id != principal.user_id:
        raise ServiceError("approval_link.other_user")
    order_id = row.payload.get("order_id")
    if not isinstance(order_id, int):
        raise ServiceError("link.invalid")
    return order_id


def open_link(session: Session, principal: CustomerUser, *, raw: str) -> LinkedOrder:
    """The order behind a still usable link of the signed-in approver, if they may decide it."""
    detail = order_detail(
        session, principal, order_id=_order_of_link(session, principal, raw, use=False)
    )
    if not detail.can_decide:
        raise ServiceError("approval_link.nothing_to_decide")
    return LinkedOrder(detail)


def decide_by_link(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    raw: str,
    decision: str,
    seen_version: object,
    comment: str = "",
) -> str:
    """Approve or reject through the link (used up with the decision); the order's status."""
    if decision not in (APPROVE, REJECT):
        raise ServiceError("approval_link.choose")
    order_id = _order_of_link(session, principal, raw, use=True)
    if decision == APPROVE:
        return approve(
            session,
            principal,
            settings=settings,
            order_id=order_id,
            seen_version=seen_version,
            comment=comment,
        )
    reject(
        session,
        principal,
        settings=settings,
        order_id=order_id,
        seen_version=seen_version,
        comment=comment,
    )
    return visible_order(session, principal, order_id=order_id)[0].status
