"""Who may see and who may decide an order, and the checks every decision shares.

Who decides a waiting step: its designated approver, whoever stands in for them today (a
substitute while they are away, the main contact for a deactivated approver), and, once a
step has been escalated, the main contact. Nobody decides their own order.

Every decision and change takes the order ``version`` the deciding person saw and bumps it
in one ``UPDATE ... WHERE version = :seen``: of two people deciding at once exactly one
counts; the other gets ``orders.error.stale`` and reloads the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import false, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from customer_center.db import transaction_memo
from customer_center.domain import approval_steps
from customer_center.domain.approval_steps import Decider, Outcome, Step
from customer_center.domain.chains import Directory, stands_in_for
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.order_states import OrderStatus, StepStatus
from customer_center.domain.orders import (
    COMMENT_MAX,
)
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.base import utcnow
from customer_center.models.order import ApprovalStep, Order
from customer_center.models.user import User
from customer_center.services.people.budgets import (
    local_today,
)
from customer_center.services.people.chains import deputy_directory, routing_directory


@dataclass(frozen=True)
class Viewer:
    """The principal as one order sees them."""

    principal: CustomerUser
    decider: Decider

    @property
    def deciding_for(self) -> frozenset[int]:
        return self.decider.deciding_for

    @property
    def is_main_contact(self) -> bool:
        return self.decider.is_main_contact

    def may_decide(self, step: ApprovalStep) -> bool:
        return self.decider.decides(step_of(step))


def viewer_of(
    session: Session,
    principal: CustomerUser,
    *,
    today: date | None = None,
    directory: Directory | None = None,
    order: Order | None = None,
) -> Viewer:
    """``directory``: a routing directory of today that holds the principal, when the
    caller has one (the people it holds besides do not change whom the principal decides
    for: everyone away today is in any routing directory). ``order``: the viewer is asked
    only about that order, which the principal sees plainly (requester, orders.view_all),
    and ``directory`` holds the approvers of its current steps: then it also tells which of
    them the main contact decides for, without reading the whole company."""
    day = today or local_today()
    memo = transaction_memo(session, _VIEWER_MEMO)
    if (known := memo.get((principal, day))) is not None:
        return known
    if directory is None:
        directory = routing_directory(session, principal.company_id, [principal.user_id], day)
    one_order = order is not None and _plainly_visible(principal, order)
    if directory.main_contact_id == principal.user_id and not one_order:
        directory = deputy_directory(session, principal.company_id)  # decides for the unreachable
    decider = Decider(
        user_id=principal.user_id,
        stands_in_for=stands_in_for(principal.user_id, directory, day),
        is_main_contact=directory.main_contact_id == principal.user_id,
        may_decide=principal.may(Permission.APPROVALS_DECIDE),
    )
    viewer = Viewer(principal, decider)
    if not one_order:  # whom the principal decides for in full: true for any order
        memo[(principal, day)] = viewer
    return viewer


# Whom a principal decides for is worked out once per transaction: a decision reads it to
# decide, again to show the order and again to count the waiting approvals. What it stands
# on (absences, accounts, the main contact) is not written by the order services that ask.
_VIEWER_MEMO = "orders.viewer"


def step_of(row: ApprovalStep) -> Step:
    """A stored step as the approval machine (domain.approval_steps) sees it."""
    return Step(
        key=row.id or 0,
        level=row.level,
        rule=row.rule,
        approver_id=row.approver_id,
        status=row.status,
        escalated=row.escalated_at is not None,
        decided_by=row.decided_by_id,
    )


def decidable_clause(viewer: Viewer) -> Any:
    escalated = col(ApprovalStep.escalated_at).is_not(None) if viewer.is_main_contact else false()
    return or_(col(ApprovalStep.approver_id).in_(sorted(viewer.deciding_for)), escalated)


def company_order(session: Session, principal: CustomerUser, *, order_id: object) -> Order:
    order = session.get(Order, order_id) if type(order_id) is int else None
    if order is None or order.company_id != principal.company_id:
        raise ServiceError("orders.error.not_found")
    return order


def _plainly_visible(principal: CustomerUser, order: Order) -> bool:
    """The requester and holders of orders.view_all see the order, whoever decides it."""
    return order.requester_id == principal.user_id or principal.may(Permission.ORDERS_VIEW_ALL)


def _may_view(session: Session, viewer: Viewer, order: Order) -> bool:
    if _plainly_visible(viewer.principal, order):
        return True
    involved = session.exec(
        select(ApprovalStep.id).where(
            ApprovalStep.order_id == order.id,
            or_(
                decidable_clause(viewer),
                col(ApprovalStep.decided_by_id) == viewer.principal.user_id,
            ),
        )
    ).first()
    return involved is not None


def visible_order(
    session: Session, principal: CustomerUser, *, order_id: object
) -> tuple[Order, Viewer]:
    """The order if the principal may see it (requester, its approvers and those standing in
    for them, holders of orders.view_all); anything else is "not found"."""
    order = company_order(session, principal, order_id=order_id)
    viewer = viewer_of(session, principal)
    require_visible(session, viewer, order)
    return order, viewer


def require_visible(session: Session, viewer: Viewer, order: Order) -> None:
    """Refuse an order of the company the viewer may not see, as "not found"."""
    if not _may_view(session, viewer, order):
        raise ServiceError("orders.error.not_found")


def seen_order(session: Session, principal: CustomerUser, *, order_id: object) -> Order:
    """The order if the principal may see it, as ``visible_order`` decides, for a reader who
    needs no more: whom the principal decides for is worked out only when that decides it."""
    order = company_order(session, principal, order_id=order_id)
    if _plainly_visible(principal, order):
        return order
    if not _may_view(session, viewer_of(session, principal), order):
        raise ServiceError("orders.error.not_found")
    return order


def lock_version(session: Session, order: Order, seen_version: object) -> None:
    """Bump the version if it is still the one the client saw; else refuse as stale."""
    if type(seen_version) is not int:
        raise ServiceError("orders.error.stale")
    columns = Order.__table__.columns  # type: ignore[attr-defined]
    row = session.execute(
        update(Order)
        .where(
            col(Order.id) == order.id,
            col(Order.company_id) == order.company_id,
            col(Order.version) == seen_version,
        )
        .values(version=col(Order.version) + 1, updated_at=utcnow())
        .returning(*columns)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        raise ServiceError("orders.error.stale")
    # The row as it is now, under its lock, taken as loaded: no second read of the order.
    for column, value in zip(columns, row, strict=True):
        set_committed_value(order, column.key, value)


def current_steps(session: Session, order: Order) -> list[ApprovalStep]:
    return list(
        session.exec(
            select(ApprovalStep)
            .where(ApprovalStep.order_id == order.id, ApprovalStep.revision == order.revision)
            .order_by(col(ApprovalStep.level), col(ApprovalStep.id))
        ).all()
    )


def open_steps(session: Session, order: Order) -> list[ApprovalStep]:
    """The current revision's steps of an order that waits for approval; else refused."""
    if order.status != OrderStatus.PENDING_APPROVAL:
        raise ServiceError("orders.error.not_open")
    return current_steps(session, order)


def store(session: Session, rows: list[ApprovalStep], outcome: Outcome, now: datetime) -> None:
    """Write what a decision changed (domain.approval_steps) into the stored steps."""
    for row in rows:
        key = row.id or 0
        if key not in outcome.statuses:
            continue
        row.status = outcome.statuses[key]
        if key in outcome.decided:
            row.decided_by_id, row.decided_at = outcome.decided_by, now
        if key in outcome.started:
            row.due_since = now
        session.add(row)


def supersede_open_steps(session: Session, order: Order) -> None:
    """A cancellation or a new submission ends the approval under way: every step still
    open (waiting or queued) is superseded."""
    session.execute(
        update(ApprovalStep)
        .where(
            col(ApprovalStep.order_id) == order.id,
            col(ApprovalStep.status).in_(sorted(approval_steps.OPEN)),
        )
        .values(status=StepStatus.SUPERSEDED)
    )


def user_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.name if user else ""


def comment_text(text: object, *, required: bool) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if required and not value:
        raise ValidationFailed({"comment": ("orders.error.comment_required", {})})
    if len(value) > COMMENT_MAX:
        raise ValidationFailed({"comment": ("form.too_long", {"max": COMMENT_MAX})})
    return value
