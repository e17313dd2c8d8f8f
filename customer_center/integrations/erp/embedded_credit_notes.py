"""The embedded ERP's credit notes: one per portal return or credit request.

A credit note is an ``erp_document`` row of kind ``credit_note`` (so it is listed with the
customer's documents and, through ``order_number``, with its order) plus an
``erp_credit_note`` row holding the request number (the idempotency key), the reason and
the credited lines. Its number is ``CN-R`` and a serial (``CN-R000012``), apart from the
``CN-<order>`` numbers the demo issues for an order. Amounts on its PDF are credits, so
negative: each line's net amount, VAT at the customer's rate on their sum, no shipping.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from customer_center.domain.invoice_totals import DEFAULT_VAT_RATE, InvoiceTotals, invoice_totals
from customer_center.domain.orders import price_cents
from customer_center.integrations.erp.document_pdf import DocumentLine
from customer_center.integrations.erp.protocol import CREDIT_REASONS, ErpCreditRequest
from customer_center.integrations.erp.tables import (
    ErpCreditNoteRow,
    ErpCustomerRow,
    ErpDocumentRow,
    ErpOrderLineRow,
    ErpOrderRow,
    ErpProductRow,
    canonical_key,
)

NUMBER_PREFIX = "CN-R"
MAX_LINES = 500
REASON_TEXT = {
    "damaged": "damaged",
    "wrong_item": "wrong item",
    "not_needed": "not needed",
    "defective": "defective",
    "price_difference": "price difference",
    "short_delivery": "short delivery",
    "other": "other",
}


class UnknownCreditCustomer(ValueError):
    """The request names a customer the ERP does not have."""


def check(request: ErpCreditRequest) -> None:
    """Raise ``ValueError`` for a request no ERP could book."""
    if not request.request_number.strip() or len(request.request_number.strip()) > 40:
        raise ValueError("request_number must have 1 to 40 characters")
    if request.reason not in CREDIT_REASONS:
        raise ValueError(f"unknown reason {request.reason!r}")
    if not 1 <= len(request.lines) <= MAX_LINES:
        raise ValueError(f"a credit note has 1 to {MAX_LINES} lines")
    for line in request.lines:
        if not line.sku.strip() or line.quantity < 1 or line.unit_net < 0:
            raise ValueError("each line needs a SKU, a quantity from 1 and a unit price from 0")


def known_number(session: Session, request_number: str) -> str | None:
    query = select(ErpCreditNoteRow.document_number).where(
        ErpCreditNoteRow.request_number == request_number.strip()
    )
    return session.exec(query).first()


def issue(session: Session, request: ErpCreditRequest, message_id: str, day: date) -> str:
    """Record the credit note in ``session`` and answer its number (the caller commits)."""
    customer_number = canonical_key(request.customer_number)
    customer = session.get(ErpCustomerRow, customer_number)
    if customer is None:
        raise UnknownCreditCustomer(customer_number)
    order_number = canonical_key(request.erp_order_number) if request.erp_order_number else None
    note = ErpCreditNoteRow(
        request_number=request.request_number.strip(),
        message_id=message_id,
        document_number=f"PENDING-{secrets.token_hex(8)}",
        customer_number=customer_number,
        portal_order_number=request.order_number.strip(),
        reason=request.reason,
        lines=[
            {
                "sku": canonical_key(line.sku),
                "quantity": line.quantity,
                "unit_net": str(line.unit_net),
            }
            for line in request.lines
        ],
    )
    session.add(note)
    session.flush()  # the serial; a repeated request number fails here (IntegrityError)
    assert note.id is not None
    note.document_number = f"{NUMBER_PREFIX}{note.id:06d}"
    session.add(
        ErpDocumentRow(
            document_number=note.document_number,
            customer_number=customer_number,
            kind="credit_note",
            issued_on=day,
            order_number=order_number,
            title=f"Credit for {note.request_number}",
            currency=request.currency or customer.currency,
        )
    )
    session.flush()
    return note.document_number


def issue_once(session: Session, request: ErpCreditRequest, message_id: str, day: date) -> str:
    """:func:`issue` unless the request number is known; a concurrent delivery of the same
    request that wins the race is success too. Commits."""
    check(request)
    known = known_number(session, request.request_number)
    if known is not None:
        return known
    try:
        number = issue(session, request, message_id, day)
        session.commit()
    except IntegrityError:
        session.rollback()
        known = known_number(session, request.request_number)
        if known is None:
            raise
        return known
    return number


def credit_note_of(session: Session, document_number: str) -> ErpCreditNoteRow | None:
    query = select(ErpCreditNoteRow).where(ErpCreditNoteRow.document_number == document_number)
    return session.exec(query).first()


def lines(
    session: Session, note: ErpCreditNoteRow, order: ErpOrderRow | None
) -> list[DocumentLine]:
    """The credited lines, negative: named as on the order (else as in the catalogue)."""
    names = _names(session, note, order)
    result = []
    for position, line in enumerate(note.lines, start=1):
        unit = price_cents(Decimal(line["unit_net"]))
        sku = str(line["sku"])
        name, measure = names.get(sku, ("", ""))
        result.append(
            DocumentLine(
                position=position,
                sku=sku,
                name=name,
                quantity=int(line["quantity"]),
                unit=measure,
                unit_price_cents=unit,
                line_total_cents=-unit * int(line["quantity"]),
            )
        )
    return result


def totals(
    document_lines: list[DocumentLine], customer: ErpCustomerRow, currency: str
) -> InvoiceTotals:
    """Goods negative, no shipping (``pickup`` charges none), VAT at the customer's rate."""
    rate = Decimal(customer.vat_rate) if customer.vat_rate is not None else DEFAULT_VAT_RATE
    goods = sum(line.line_total_cents for line in document_lines)
    return invoice_totals(goods, shipping_method="pickup", vat_rate=rate, currency=currency)


def note_text(note: ErpCreditNoteRow) -> str:
    reason = REASON_TEXT.get(note.reason, note.reason)
    parts = [f"Credit for your request {note.request_number}, reason: {reason}."]
    if note.portal_order_number:
        parts.append(f"Your order {note.portal_order_number}.")
    return " ".join(parts)


def _names(
    session: Session, note: ErpCreditNoteRow, order: ErpOrderRow | None
) -> dict[str, tuple[str, str]]:
    skus = {str(line["sku"]) for line in note.lines}
    names: dict[str, tuple[str, str]] = {}
    for sku in skus:
        product = session.get(ErpProductRow, sku)
        if product is not None:
            names[sku] = (product.name, product.unit)
    if order is not None and order.id is not None:
        query = select(ErpOrderLineRow).where(ErpOrderLineRow.erp_order_id == order.id)
        for line in session.exec(query):
            if line.sku in skus:
                names[line.sku] = (line.name, line.unit)
    return names
