"""The credit note of a return, asked of the ERP through the outbox: queued in the seller's
transaction (once per return: the dedup key is the return's number), recorded when the
relay's handler (:mod:`credit_note`) has the ERP's number."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from customer_center.domain.principals import SYSTEM
from customer_center.domain.returns import (
    ReturnAction,
    allows,
    credit_dedup_key,
    return_number,
    return_ref,
)
from customer_center.models.base import utcnow
from customer_center.models.outbox import DEAD, OutboxMessage
from customer_center.models.returns import ReturnRequest
from customer_center.outbox.enqueue import enqueue
from customer_center.services.returns import records

ERP_CREDIT_NOTE_REQUESTED = "erp.credit_note_requested"


def enqueue_credit_note(session: Session, request: ReturnRequest, *, attempt: int = 1) -> None:
    """Queue the request for the ERP within the caller's transaction (a no-op the second
    time: same dedup key). A request again after the relay gave up (``attempt`` 2, 3, ...)
    is a new message with its own key; the ERP's answer stays idempotent by the return."""
    number = return_number(request.id or 0)
    key = credit_dedup_key(number)
    enqueue(
        session,
        ERP_CREDIT_NOTE_REQUESTED,
        {"return_id": request.id, "company_id": request.company_id},
        dedup_key=key if attempt == 1 else f"{key}:{attempt}",
        refers_to=return_ref(request.id or 0),
    )


def credit_messages(session: Session, request: ReturnRequest) -> list[str]:
    """The statuses of the return's credit note messages, the newest last."""
    statement = (
        select(OutboxMessage.status)
        .where(
            OutboxMessage.refers_to == return_ref(request.id or 0),
            OutboxMessage.kind == ERP_CREDIT_NOTE_REQUESTED,
        )
        .order_by(col(OutboxMessage.id))
    )
    return list(session.exec(statement))


def credit_given_up(session: Session, request: ReturnRequest) -> bool:
    """Requested, not credited, and the relay gave up on the newest request."""
    if request.credit_requested_at is None or request.credit_note_number:
        return False
    statuses = credit_messages(session, request)
    return bool(statuses) and statuses[-1] == DEAD


def payload_ids(payload: dict[str, Any]) -> tuple[int, int]:
    return_id, company_id = payload.get("return_id"), payload.get("company_id")
    if not isinstance(return_id, int) or not isinstance(company_id, int):
        raise ValueError(f"credit note payload without return and company ids: {payload!r}")
    return return_id, company_id


def company_return(
    session: Session, return_id: int, company_id: int, *, lock: bool = False
) -> ReturnRequest:
    statement = select(ReturnRequest).where(
        ReturnRequest.id == return_id, ReturnRequest.company_id == company_id
    )
    found = session.exec(statement.with_for_update() if lock else statement).first()
    if found is None:
        raise LookupError(f"return {return_id} of company {company_id} does not exist")
    return found


def record_credit_note(session: Session, return_id: int, company_id: int, number: str) -> bool:
    """Store the ERP's credit note number and move the return to ``credited``; ``False`` if
    it was recorded before (a repeated delivery). The row is locked while this is decided."""
    found = company_return(session, return_id, company_id, lock=True)
    if found.credit_note_number or not allows(found.kind, found.state, ReturnAction.CREDIT):
        return False
    found.credit_note_number = number
    found.credited_at = utcnow()
    records.move(session, found, ReturnAction.CREDIT, SYSTEM, data={"credit_note": number})
    return True
