"""Delivering :data:`ERP_CREDIT_NOTE_REQUESTED` by the relay: the ERP issues the credit note
of a return or a credit request, the portal records its number and the return is credited.

The outbox message carries only the return's id; the handler reads the return when it
delivers (the accepted quantities once received). No transaction is open while the ERP is
called. The ERP is idempotent by the request's number (the return's), so a retry after the
portal failed to record the answer gets the same number back and records it then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from customer_center.db import session_scope
from customer_center.domain.orders import order_number
from customer_center.domain.returns import ReturnAction, allows, return_number
from customer_center.integrations.erp.protocol import ErpCreditLine, ErpCreditRequest
from customer_center.models.company import Company
from customer_center.models.order import Order
from customer_center.services.returns import records
from customer_center.services.returns.credit import (
    company_return,
    payload_ids,
    record_credit_note,
)

log = logging.getLogger(__name__)


class CreditNoteIssuer(Protocol):
    """The one method of ``ErpClient`` this handler needs (any ErpClient satisfies it)."""

    def request_credit_note(self, request: ErpCreditRequest, message_id: str) -> str: ...


def credit_note_handler(
    erp: CreditNoteIssuer, engine: Engine
) -> Callable[[dict[str, Any], str], None]:
    """The outbox handler of ``erp.credit_note_requested``."""

    def deliver(payload: dict[str, Any], message_id: str) -> None:
        deliver_credit_note(engine, erp, payload, message_id)

    return deliver


def deliver_credit_note(
    engine: Engine, erp: CreditNoteIssuer, payload: dict[str, Any], message_id: str
) -> str | None:
    """Ask the ERP for the credit note and record it; its number, or ``None`` when there was
    nothing (more) to ask for."""
    return_id, company_id = payload_ids(payload)
    with session_scope(engine) as session:
        request = credit_request(session, return_id, company_id)
    if request is None:
        return None
    number = erp.request_credit_note(request, message_id)
    with session_scope(engine) as session:
        record_credit_note(session, return_id, company_id, number)
    return number


def credit_request(session: Session, return_id: int, company_id: int) -> ErpCreditRequest | None:
    """What the ERP gets: the lines with the pieces credited (accepted on receipt, or asked
    for in a credit request) at the credited unit value; ``None`` once credited, or when no
    piece is left to credit."""
    found = company_return(session, return_id, company_id)
    if found.credit_note_number or not allows(found.kind, found.state, ReturnAction.CREDIT):
        log.info("return %s not sent to the ERP: state %s", return_id, found.state)
        return None
    order = session.get(Order, found.order_id)
    company = session.get(Company, company_id)
    assert order is not None and company is not None
    lines = tuple(
        ErpCreditLine(
            sku=line.sku,
            quantity=pieces,
            unit_net=(Decimal(line.unit_credit_cents) / 100).quantize(Decimal("0.01")),
        )
        for line in records.lines_of(session, found)
        if (pieces := line.quantity if line.accepted_quantity is None else line.accepted_quantity)
    )
    if not lines:
        log.info("return %s has no accepted pieces to credit", return_id)
        return None
    return ErpCreditRequest(
        customer_number=company.customer_number,
        request_number=return_number(return_id),
        order_number=order_number(order),
        erp_order_number=order.erp_order_number,
        reason=found.reason,
        currency=found.currency,
        lines=lines,
    )
