"""The order as its readers see it: lines, chain, revisions, timeline, what they may do.

Data, not words: reasons are breaches with their figures, differences are field, old and
new, the timeline is kinds with their data; presenters word them for the reader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from customer_center.domain import approval_steps
from customer_center.domain.budgets import LimitBreach
from customer_center.domain.chains import Directory, effective_approver
from customer_center.domain.journey_steps import Journey, journey
from customer_center.domain.order_journey import parse_moment
from customer_center.domain.order_states import OrderStatus, StepStatus, erp_status_of
from customer_center.domain.orders import (
    Difference,
    LineSnapshot,
    Revision,
    is_open,
    may_write,
    order_number,
    revision_diff,
)
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser, PrincipalKind
from customer_center.domain.timeline import TimelineEntry
from customer_center.models.order import ApprovalStep, Order, OrderEvent, OrderLine, OrderRevision
from customer_center.models.staff import StaffMember
from customer_center.services.orders.access import (
    Viewer,
    company_order,
    current_steps,
    require_visible,
    step_of,
    viewer_of,
)
from customer_center.services.orders.reasons import reasons_now
from customer_center.services.people.budgets import (
    BudgetSituation,
    local_today,
    situation_of,
)
from customer_center.services.people.chains import routing_directory
from customer_center.services.people.names import names_of
from customer_center.settings import get_settings


@dataclass(frozen=True)
class ChainMember:
    approver: str
    decider: str  # who decides it today, if not the approver ("" otherwise)
    status: str
    decided_by: str
    decided_at: datetime | None


@dataclass(frozen=True)
class ChainLevel:
    number: int  # 1-based
    rule: str
    members: list[ChainMember]
    current: bool


@dataclass(frozen=True)
class RevisionView:
    number: int
    reason: str
    author: str
    created_at: datetime
    comment: str
    total_cents: int
    differences: list[Difference]  # to the revision before (none for the first)


@dataclass(frozen=True)
class OrderDetail:
    id: int
    number: str
    status: str
    version: int
    revision: int
    requester: str
    is_requester: bool
    submitted_at: datetime | None
    currency: str
    total_cents: int
    total_quantity: int
    reference: str
    delivery_address: dict[str, str]
    billing_address: dict[str, str]
    payment_method: str
    shipping_method: str
    erp_order_number: str
    lines: list[LineSnapshot]
    reasons: list[LimitBreach]  # why it waits, with the current revision's figures
    budget: BudgetSituation | None
    chain: list[ChainLevel]
    revisions: list[RevisionView]
    timeline: list[TimelineEntry]
    can_decide: bool
    can_resubmit: bool
    can_cancel: bool
    can_comment: bool
    journey: Journey


def order_detail(session: Session, principal: CustomerUser, *, order_id: object) -> OrderDetail:
    """Everything about one order the principal may see."""
    today = local_today()
    order = company_order(session, principal, order_id=order_id)
    steps = current_steps(session, order)
    # One routing directory for the steps and the reader: it holds everyone away today, so
    # whom the reader decides for is the same as with the reader alone.
    people = {principal.user_id, *(s.approver_id for s in steps)}
    directory = routing_directory(session, order.company_id, people, today)
    viewer = viewer_of(session, principal, today=today, directory=directory, order=order)
    require_visible(session, viewer, order)
    return detail_of(session, order, viewer=viewer, known=(steps, directory))


def detail_of(
    session: Session,
    order: Order,
    *,
    viewer: Viewer | None,
    known: tuple[list[ApprovalStep], Directory] | None = None,
) -> OrderDetail:
    """The detail of an order already found within its company; ``viewer`` says what the
    reader may do with it (``None``: a reader who only looks, like the seller's console).
    ``known``: the current steps and a routing directory of today holding their approvers,
    when the caller read them."""
    today = local_today()
    if known is None:
        steps = current_steps(session, order)
        approvers = {s.approver_id for s in steps}
        directory = routing_directory(session, order.company_id, approvers, today)
    else:
        steps, directory = known
    revisions = _revision_rows(session, order)
    by_revision = _lines_by_revision(session, order)
    events = _events(session, order)
    agents = _agents(session, events)
    names = names_of(
        session,
        order.company_id,
        [order.requester_id, *directory.names]
        + [u for s in steps for u in (s.approver_id, s.decided_by_id)]
        + [r.author_id for r in revisions]
        + [u for e in events for u in (e.actor_id, *_behalf_ids(e))],
    )
    waiting = order.status == OrderStatus.PENDING_APPROVAL
    mine = (
        approval_steps.decidable([step_of(s) for s in steps], viewer.decider, order.requester_id)
        if viewer is not None
        else []
    )
    principal = viewer.principal if viewer is not None else None
    is_requester = principal is not None and order.requester_id == principal.user_id
    assert order.id is not None
    reasons = reasons_now(session, [order]).get(order.id, []) if waiting else []
    timeline = [_entry(event, names, agents) for event in events]
    return OrderDetail(
        id=order.id,
        number=order_number(order),
        status=order.status,
        version=order.version,
        revision=order.revision,
        requester=names.get(order.requester_id, ""),
        is_requester=is_requester,
        submitted_at=order.submitted_at,
        currency=order.currency,
        total_cents=order.total_cents,
        total_quantity=order.total_quantity,
        reference=order.reference,
        delivery_address=dict(order.delivery_address),
        billing_address=dict(order.billing_address),
        payment_method=order.payment_method,
        shipping_method=order.shipping_method,
        erp_order_number=order.erp_order_number or "",
        lines=by_revision.get(order.revision, []),
        reasons=reasons,
        budget=situation_of(session, order.company_id, order.requester_id, today),
        chain=_chain(steps, directory, names, today),
        revisions=_revisions(by_revision, revisions, names),
        timeline=timeline,
        can_decide=waiting and bool(mine),
        can_resubmit=is_requester
        and order.status == OrderStatus.REJECTED
        and principal is not None
        and principal.may(Permission.ORDERS_CREATE),
        can_cancel=is_requester and is_open(order.status),
        can_comment=principal is not None and may_write(order.status),
        journey=journey(order.status, timeline),
    )


def _chain(
    steps: list[ApprovalStep], directory: Directory, names: Mapping[int, str], today: date
) -> list[ChainLevel]:
    """The current revision's route, level by level, with who decides each step today."""
    chain = []
    current_level = min((s.level for s in steps if s.status == StepStatus.WAITING), default=None)
    for level in sorted({s.level for s in steps}):
        level_steps = [s for s in steps if s.level == level]
        members = [_member(step, directory, names, today) for step in level_steps]
        chain.append(ChainLevel(level + 1, level_steps[0].rule, members, level == current_level))
    return chain


def _member(
    step: ApprovalStep, directory: Directory, names: Mapping[int, str], today: date
) -> ChainMember:
    decider = effective_approver(step.approver_id, directory, today).user_id
    stood_in = decider != step.approver_id and step.status == StepStatus.WAITING
    return ChainMember(
        approver=names.get(step.approver_id, "?"),
        decider=names.get(decider, "?") if stood_in else "",
        status=step.status,
        decided_by=names.get(step.decided_by_id or 0, ""),
        decided_at=step.decided_at,
    )


def _revision_rows(session: Session, order: Order) -> list[OrderRevision]:
    return list(
        session.exec(
            select(OrderRevision)
            .where(OrderRevision.order_id == order.id)
            .order_by(col(OrderRevision.number))
        ).all()
    )


def _lines_by_revision(session: Session, order: Order) -> dict[int, list[LineSnapshot]]:
    """The lines of every revision of the order (the current one is what it orders now)."""
    rows = session.execute(
        sa_select(
            col(OrderLine.revision),
            col(OrderLine.sku),
            col(OrderLine.name),
            col(OrderLine.quantity),
            col(OrderLine.unit_price_cents),
        )
        .where(col(OrderLine.order_id) == order.id)
        .order_by(col(OrderLine.revision), col(OrderLine.position))
    ).all()
    by_revision: dict[int, list[LineSnapshot]] = {}
    for revision, sku, name, quantity, unit_price_cents in rows:
        by_revision.setdefault(revision, []).append(
            LineSnapshot(sku, name, quantity, unit_price_cents)
        )
    return by_revision


def _revisions(
    by_revision: dict[int, list[LineSnapshot]],
    revisions: list[OrderRevision],
    names: Mapping[int, str],
) -> list[RevisionView]:
    views = []
    previous: Revision | None = None
    for rev in revisions:
        current = Revision(tuple(by_revision.get(rev.number, [])), dict(rev.header))
        views.append(
            RevisionView(
                number=rev.number,
                reason=rev.reason,
                author=names.get(rev.author_id, ""),
                created_at=rev.created_at,
                comment=rev.comment,
                total_cents=rev.total_cents,
                differences=revision_diff(previous, current) if previous is not None else [],
            )
        )
        previous = current
    return views


def _events(session: Session, order: Order) -> list[OrderEvent]:
    return list(
        session.exec(
            select(OrderEvent)
            .where(OrderEvent.order_id == order.id)
            .order_by(col(OrderEvent.created_at), col(OrderEvent.id))
        ).all()
    )


def _behalf_ids(event: OrderEvent) -> list[int]:
    ids = (event.data or {}).get("on_behalf_of") or []
    return [u for u in ids if isinstance(u, int)]


def _agents(session: Session, events: list[OrderEvent]) -> dict[int, str]:
    """The names of the seller's agents who acted for a user in ``events``."""
    ids = {
        e.actor_ref
        for e in events
        if e.actor_kind == PrincipalKind.SELLER_AGENT and e.actor_ref is not None
    }
    if not ids:
        return {}
    rows = session.exec(
        select(StaffMember.id, StaffMember.name).where(col(StaffMember.id).in_(ids))
    ).all()
    return {staff_id: name for staff_id, name in rows if staff_id is not None}


def _reported_moment(event: OrderEvent) -> datetime:
    """When it happened: for the ERP's reports the moment the ERP gives (``occurred_at``),
    not the moment the portal received the report."""
    if erp_status_of(event.kind) is None:
        return event.created_at
    moment = parse_moment(str((event.data or {}).get("occurred_at") or ""))
    return moment if moment is not None else event.created_at


def _entry(event: OrderEvent, names: Mapping[int, str], agents: Mapping[int, str]) -> TimelineEntry:
    agent = (
        agents.get(event.actor_ref or 0, "")
        if event.actor_kind == PrincipalKind.SELLER_AGENT
        else ""
    )
    reported = erp_status_of(event.kind) not in (None, "sent")
    return TimelineEntry(
        agent=agent,
        seller=get_settings().seller_name if agent or reported else "",
        kind=event.kind,
        when=_reported_moment(event),
        actor=names.get(event.actor_id or 0, ""),
        actor_kind=event.actor_kind,
        on_behalf_of=tuple(names.get(u, "?") for u in _behalf_ids(event)),
        data=dict(event.data or {}),
        body=event.body,
    )
