"""Changing an order: an approver's change, the requester's resubmission; each a new revision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, col, select

from customer_center.domain import approval_steps
from customer_center.domain.budgets import (
    OrderFigures,
)
from customer_center.domain.errors import ServiceError, ValidationFailed
from customer_center.domain.order_states import EventKind, OrderStatus
from customer_center.domain.orders import (
    SHIPPING_METHODS,
    Difference,
    LineSnapshot,
    Revision,
    address_errors,
    apply_line_changes,
    breach_data,
    change_errors,
    clean_address,
    difference_data,
    revision_diff,
)
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.models.base import utcnow
from customer_center.models.order import ApprovalStep, Order, OrderLine
from customer_center.services.orders import mails
from customer_center.services.orders.access import (
    comment_text,
    lock_version,
    open_steps,
    step_of,
    supersede_open_steps,
    user_name,
    visible_order,
)
from customer_center.services.orders.events import add_event
from customer_center.services.orders.ordering import (
    decide_on_submission,
    header_of,
    write_revision,
)
from customer_center.services.people.budgets import (
    local_today,
    order_breaches,
)
from customer_center.settings import Settings


@dataclass(frozen=True)
class OrderChange:
    """What a change asks for: new quantities by SKU, SKUs to remove, a new delivery address
    and shipping method (``None``: unchanged), and a comment."""

    quantities: dict[str, int] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()
    delivery_address: dict[str, str] | None = None
    shipping_method: str | None = None
    comment: str = ""


def lines_of(session: Session, order: Order) -> tuple[LineSnapshot, ...]:
    rows = session.exec(
        select(OrderLine)
        .where(OrderLine.order_id == order.id, OrderLine.revision == order.revision)
        .order_by(col(OrderLine.position))
    ).all()
    return tuple(LineSnapshot(r.sku, r.name, r.quantity, r.unit_price_cents) for r in rows)


def _new_revision(
    session: Session,
    principal: CustomerUser,
    order: Order,
    change: OrderChange,
    reason: str,
    *,
    allow_header: bool = True,
    allow_unchanged: bool = False,
) -> list[Difference]:
    """Apply ``change`` as the order's next revision; returns its difference to the last."""
    lines = lines_of(session, order)
    quantities = dict(change.quantities) if isinstance(change.quantities, dict) else {}
    removed = set(change.removed) if isinstance(change.removed, frozenset | set) else set()
    errors = change_errors(lines, quantities, removed)
    delivery = None
    if allow_header and change.delivery_address is not None:
        delivery = clean_address(change.delivery_address)
        errors.update(address_errors("delivery_address", delivery))
    shipping = change.shipping_method if allow_header else None
    if shipping is not None and shipping not in SHIPPING_METHODS:
        errors["shipping_method"] = ("orders.error.shipping_method", {})
    if errors:
        raise ValidationFailed(errors)
    before = Revision(lines, header_of(order))
    new_lines = apply_line_changes(lines, quantities, removed)
    if delivery is not None:
        order.delivery_address = delivery
    if shipping is not None:
        order.shipping_method = shipping
    differences = revision_diff(before, Revision(new_lines, header_of(order)))
    if not differences and not allow_unchanged:
        raise ServiceError("orders.error.no_change")
    order.revision += 1
    order.total_cents = sum(line.total_cents for line in new_lines)
    order.total_quantity = sum(line.quantity for line in new_lines)
    session.add(order)
    write_revision(session, order, new_lines, principal.user_id, reason, change.comment.strip())
    return differences


def change_order(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    order_id: object,
    seen_version: object,
    change: OrderChange,
) -> None:
    """An approver changes quantities, removes lines, the delivery address or the shipping
    method: a new revision; the approval continues where it stands and the requester is told."""
    comment = comment_text(change.comment, required=False)
    order, viewer = visible_order(session, principal, order_id=order_id)
    lock_version(session, order, seen_version)
    rows = open_steps(session, order)
    approval_steps.part_of([step_of(r) for r in rows], viewer.decider, order.requester_id)
    old_revision = order.revision
    differences = _new_revision(session, principal, order, change, "changed")
    session.execute(
        update(ApprovalStep)
        .where(col(ApprovalStep.order_id) == order.id, col(ApprovalStep.revision) == old_revision)
        .values(revision=order.revision)
    )
    add_event(
        session,
        order,
        EventKind.CHANGED,
        principal.attribution,
        body=comment,
        data={"diff": [difference_data(d) for d in differences]},
    )
    session.flush()
    mails.order_changed(
        session,
        settings,
        order,
        user_name(session, principal.user_id),
        [difference_data(d) for d in differences],
    )


def resubmit(
    session: Session,
    principal: CustomerUser,
    *,
    settings: Settings,
    order_id: object,
    seen_version: object,
    change: OrderChange,
    today: date | None = None,
) -> str:
    """After a rejection the requester changes quantities or removes lines and sends the order
    again with a comment: a new revision, decided from the start like a new submission."""
    comment = comment_text(change.comment, required=True)
    order, viewer = visible_order(session, principal, order_id=order_id)
    principal.require(Permission.ORDERS_CREATE)
    if order.requester_id != principal.user_id:
        raise ServiceError("orders.error.not_requester")
    lock_version(session, order, seen_version)
    if order.status != OrderStatus.REJECTED:
        raise ServiceError("orders.error.not_open")
    supersede_open_steps(session, order)
    differences = _new_revision(
        session, principal, order, change, "resubmitted", allow_header=False, allow_unchanged=True
    )
    figures = OrderFigures(order.total_quantity, order.total_cents)
    breaches = order_breaches(session, principal.company_id, principal.user_id, figures, today)
    order.submitted_at = utcnow()
    add_event(
        session,
        order,
        EventKind.RESUBMITTED,
        principal.attribution,
        body=comment,
        data={
            "diff": [difference_data(d) for d in differences],
            "reasons": [breach_data(b) for b in breaches],
        },
    )
    decide_on_submission(session, settings, order, breaches, today or local_today())
    return order.status
