"""One order's full journey for the seller's customer care: the order as its readers see it
(lines, chain, revisions, timeline), every status the ERP reported with the time it
reported, what shipped of each line with carrier and tracking, and every e-mail the portal
sent about the order (when, to whom, what, and whether it was delivered).

Read-only; the look is recorded in the company's audit log (:mod:`looks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_journey import parse_moment
from customer_center.domain.order_states import ERP_EVENT_PREFIX, EventKind
from customer_center.domain.orders import mail_ref
from customer_center.domain.principals import SellerAgent
from customer_center.models.order import Order, OrderEvent, OrderLine
from customer_center.models.outbox import DEAD, PENDING, SENDING, SENT, OutboxMessage
from customer_center.services.orders.detail import OrderDetail, detail_of
from customer_center.services.seller.looks import (
    VIEWED_ORDER,
    company_to_view,
    record_look,
    row_id,
)

ORDER_NOT_FOUND = "orders.error.not_found"
MAX_MAILS = 200


class MailState:
    """Where an e-mail about the order stands in the outbox."""

    QUEUED = "queued"  # waiting for its first try
    SENDING = "sending"  # a relay is sending it now
    RETRYING = "retrying"  # tried and failed; it will be tried again
    DELIVERED = "delivered"  # handed to the mail server
    FAILED = "failed"  # given up after the last try


@dataclass(frozen=True)
class ErpStatusReport:
    kind: str  # the event kind (``erp.<status>``, ``erp.sent``)
    reported: str  # the status the ERP reported ("" for the hand-over itself)
    occurred_at: datetime | None  # when it happened, as the ERP reported it
    recorded_at: datetime  # when the portal received it
    moved: bool  # whether the order's status moved with it
    status_after: str
    carrier: str
    tracking_number: str
    note: str


@dataclass(frozen=True)
class LineShipment:
    quantity: int
    occurred_at: datetime | None
    carrier: str
    tracking_number: str


@dataclass(frozen=True)
class LineJourney:
    sku: str
    name: str
    ordered: int
    shipped: int
    shipments: list[LineShipment]


@dataclass(frozen=True)
class OrderMail:
    queued_at: datetime
    to: str
    subject: str
    state: str  # a MailState value
    attempts: int
    sent_at: datetime | None
    next_attempt_at: datetime | None  # for one that will be retried
    last_error: str


@dataclass(frozen=True)
class OrderJourney:
    company_id: int
    detail: OrderDetail  # the order detail read model (lines, chain, revisions, timeline)
    erp_reports: list[ErpStatusReport]  # in the order received
    lines: list[LineJourney]
    mails: list[OrderMail]  # oldest first


def order_journey(
    session: Session, principal: SellerAgent, *, company_id: object, order_id: object
) -> OrderJourney:
    """Everything about one order of the company; "not found" for an order of another
    company, a draft, or an id that names none."""
    company = company_to_view(session, principal, company_id=company_id)
    wanted = row_id(order_id)
    order = session.get(Order, wanted) if wanted is not None else None
    if order is None or order.company_id != company.id or order.submitted_at is None:
        raise ServiceError(ORDER_NOT_FOUND)
    assert order.id is not None and company.id is not None
    record_look(
        session,
        principal,
        company_id=company.id,
        action=VIEWED_ORDER,
        target_type="order",
        target_id=order.id,
    )
    events = _erp_events(session, order.id)
    return OrderJourney(
        company_id=company.id,
        detail=detail_of(session, order, viewer=None),
        erp_reports=[_report(event) for event in events],
        lines=_lines(session, order, events),
        mails=_order_mails(session, order.id),
    )


def _erp_events(session: Session, order_id: int) -> list[OrderEvent]:
    return list(
        session.exec(
            select(OrderEvent)
            .where(
                OrderEvent.order_id == order_id,
                col(OrderEvent.kind).startswith(ERP_EVENT_PREFIX),
            )
            .order_by(col(OrderEvent.created_at), col(OrderEvent.id))
        ).all()
    )


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _occurred_at(data: dict[str, Any]) -> datetime | None:
    raw = data.get("occurred_at")
    return parse_moment(raw) if isinstance(raw, str) and raw else None


def _report(event: OrderEvent) -> ErpStatusReport:
    data = dict(event.data or {})
    return ErpStatusReport(
        kind=event.kind,
        reported="" if event.kind == EventKind.ERP_SENT else _text(data, "reported"),
        occurred_at=_occurred_at(data),
        recorded_at=event.created_at,
        moved=bool(data.get("moved", event.kind == EventKind.ERP_SENT)),
        status_after=_text(data, "status_after"),
        carrier=_text(data, "carrier"),
        tracking_number=_text(data, "tracking_number"),
        note=event.body,
    )


def _lines(session: Session, order: Order, events: list[OrderEvent]) -> list[LineJourney]:
    """Each line of the current revision with what shipped of it, shipment by shipment."""
    lines = session.exec(
        select(OrderLine)
        .where(OrderLine.order_id == order.id, OrderLine.revision == order.revision)
        .order_by(col(OrderLine.position))
    ).all()
    shipments: dict[str, list[LineShipment]] = {}
    for event in events:
        data = dict(event.data or {})
        for shipped in data.get("lines") or []:
            if not isinstance(shipped, dict) or not isinstance(shipped.get("quantity"), int):
                continue
            sku = str(shipped.get("sku", "")).strip().upper()
            shipments.setdefault(sku, []).append(
                LineShipment(
                    quantity=shipped["quantity"],
                    occurred_at=_occurred_at(data),
                    carrier=_text(data, "carrier"),
                    tracking_number=_text(data, "tracking_number"),
                )
            )
    journeys = []
    for line in lines:
        of_line = shipments.get(line.sku.strip().upper(), [])
        journeys.append(
            LineJourney(
                sku=line.sku,
                name=line.name,
                ordered=line.quantity,
                shipped=sum(s.quantity for s in of_line),
                shipments=of_line,
            )
        )
    return journeys


def mail_state(status: str, attempts: int) -> str:
    """An outbox row's status as the console shows it."""
    if status == SENT:
        return MailState.DELIVERED
    if status == DEAD:
        return MailState.FAILED
    if status == SENDING:
        return MailState.SENDING
    return MailState.RETRYING if status == PENDING and attempts > 0 else MailState.QUEUED


def _order_mails(session: Session, order_id: int) -> list[OrderMail]:
    """The e-mails the portal queued about the order (``refers_to``), oldest first. Only
    the envelope: never the text (it holds the links that decide or sign in)."""
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.refers_to == mail_ref(order_id))
        .order_by(col(OutboxMessage.created_at), col(OutboxMessage.id))
        .limit(MAX_MAILS)
    ).all()
    mails = []
    for row in rows:
        state = mail_state(row.status, row.attempts)
        failing = state in (MailState.RETRYING, MailState.FAILED)
        payload = dict(row.payload or {})
        mails.append(
            OrderMail(
                queued_at=row.created_at,
                to=_text(payload, "to"),
                subject=_text(payload, "subject"),
                state=state,
                attempts=row.attempts,
                sent_at=row.sent_at,
                next_attempt_at=row.next_attempt_at if state == MailState.RETRYING else None,
                last_error=row.last_error if failing else "",
            )
        )
    return mails
