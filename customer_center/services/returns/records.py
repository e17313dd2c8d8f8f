"""What both sides of a return share: moving it along the rule with a timeline entry (also
on the order's timeline, so the order's journey shows it) and an audit entry, each with who
acted and for whom; reading returns as data (rows, one page in SQL, one return with lines
and timeline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from customer_center.domain.order_states import OrderStatus, erp_event
from customer_center.domain.orders import order_number
from customer_center.domain.principals import Attribution
from customer_center.domain.returns import (
    RETURNS_PER_PAGE,
    ReturnAction,
    next_state,
    return_number,
)
from customer_center.domain.timeline import TimelineEntry
from customer_center.models.base import utcnow
from customer_center.models.company import Company
from customer_center.models.order import Order, OrderEvent
from customer_center.models.returns import ReturnEntry, ReturnLine, ReturnPolicy, ReturnRequest
from customer_center.models.user import User
from customer_center.services.audit import record
from customer_center.services.orders.events import add_event
from customer_center.services.paging import recent_page
from customer_center.services.timeline_entries import timeline_entries

ENTRY_PREFIX = "return."


@dataclass(frozen=True)
class ReturnRow:
    id: int
    number: str
    kind: str
    state: str
    reason: str
    outcome: str
    order_id: int
    order_number: str
    requested_by: str
    company_id: int
    company: str
    currency: str
    credit_cents: int
    rma_number: str
    credit_note_number: str
    created_at: Any
    updated_at: Any


@dataclass(frozen=True)
class ReturnPage:
    rows: list[ReturnRow]
    total: int
    page: int
    page_count: int


@dataclass(frozen=True)
class LineView:
    id: int
    position: int
    sku: str
    name: str
    quantity: int
    accepted: int | None
    unit_credit_cents: int


@dataclass(frozen=True)
class ReturnView:
    row: ReturnRow
    condition: str
    comment: str
    rejection_reason: str
    credit_requested: bool
    lines: list[LineView]
    entries: list[TimelineEntry]
    credit_given_up: bool = False  # the outbox gave the ERP request up (the seller's side)


def entry_kind(state: str) -> str:
    return f"{ENTRY_PREFIX}{state}"


def move(
    session: Session,
    request: ReturnRequest,
    action: ReturnAction,
    by: Attribution,
    *,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Apply ``action`` by the rule (refused when it has no transition) and record it on the
    return's and the order's timeline and in the audit log."""
    before = request.state
    request.state = next_state(request.kind, request.state, action)
    add_entry(session, request, entry_kind(request.state), by, body=body, data=data)
    record(
        session,
        f"return.{action.value}",
        company_id=request.company_id,
        by=by,
        target_type="return",
        target_id=request.id,
        before={"state": before},
        after={"state": request.state, **(data or {})},
    )


def add_entry(
    session: Session,
    request: ReturnRequest,
    kind: str,
    by: Attribution,
    *,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    number = return_number(request.id or 0)
    session.add(
        ReturnEntry(
            return_id=request.id or 0,
            company_id=request.company_id,
            kind=kind,
            actor_kind=by.actor_kind,
            actor_ref=by.actor_id,
            actor_id=by.user_id,
            body=body,
            data=data or {},
        )
    )
    order = session.get(Order, request.order_id)
    if order is not None:
        add_event(
            session, order, kind, by, data={**(data or {}), "number": number, "kind": request.kind}
        )
    request.updated_at = utcnow()
    session.add(request)


def lines_of(session: Session, request: ReturnRequest) -> list[ReturnLine]:
    return list(
        session.exec(
            select(ReturnLine)
            .where(ReturnLine.return_id == request.id)
            .order_by(col(ReturnLine.position))
        ).all()
    )


def delivered_on(session: Session, order: Order) -> date | None:
    """The day the order was delivered (the ERP's report); None while it is not."""
    if order.status not in (OrderStatus.DELIVERED, OrderStatus.RETURNED):
        return None
    moment = session.exec(
        select(OrderEvent.created_at)
        .where(OrderEvent.order_id == order.id, OrderEvent.kind == erp_event(OrderStatus.DELIVERED))
        .order_by(col(OrderEvent.id).desc())
    ).first()
    return (moment or order.updated_at).date()


def window_days(session: Session, company_id: int, default: int) -> int:
    """The company's return window: the seller's setting for it, else ``default``."""
    days = session.exec(
        select(ReturnPolicy.window_days).where(ReturnPolicy.company_id == company_id)
    ).first()
    return default if days is None else days


def return_page(session: Session, query: Any, *, page: int) -> ReturnPage:
    """One page (newest activity first) of ``query``: a select of ReturnRequest already
    scoped by the caller."""
    found = recent_page(session, query, ReturnRequest, page=page, per_page=RETURNS_PER_PAGE)
    rows = [return_row(session, r) for r in found.rows]
    return ReturnPage(rows, found.total, found.page, found.page_count)


def return_row(session: Session, request: ReturnRequest) -> ReturnRow:
    requester = session.get(User, request.requested_by_id)
    company = session.get(Company, request.company_id)
    order = session.get(Order, request.order_id)
    return ReturnRow(
        id=request.id or 0,
        number=return_number(request.id or 0),
        kind=request.kind,
        state=request.state,
        reason=request.reason,
        outcome=request.outcome,
        order_id=request.order_id,
        order_number=order_number(order) if order is not None else "",
        requested_by=requester.name if requester else "",
        company_id=request.company_id,
        company=company.name if company else "",
        currency=request.currency,
        credit_cents=request.credit_cents,
        rma_number=request.rma_number,
        credit_note_number=request.credit_note_number,
        created_at=request.created_at,
        updated_at=request.updated_at,
    )


def return_view(session: Session, request: ReturnRequest, *, seller: str) -> ReturnView:
    return ReturnView(
        row=return_row(session, request),
        condition=request.condition,
        comment=request.comment,
        rejection_reason=request.rejection_reason,
        credit_requested=request.credit_requested_at is not None,
        lines=[
            LineView(
                id=line.id or 0,
                position=line.position,
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                accepted=line.accepted_quantity,
                unit_credit_cents=line.unit_credit_cents,
            )
            for line in lines_of(session, request)
        ],
        entries=timeline(session, request, seller=seller),
    )


def timeline(session: Session, request: ReturnRequest, *, seller: str) -> list[TimelineEntry]:
    entries = session.exec(
        select(ReturnEntry)
        .where(ReturnEntry.return_id == request.id)
        .order_by(col(ReturnEntry.created_at), col(ReturnEntry.id))
    ).all()
    return timeline_entries(session, entries, seller=seller)


def month_start(moment: datetime) -> date:
    return moment.date().replace(day=1)
