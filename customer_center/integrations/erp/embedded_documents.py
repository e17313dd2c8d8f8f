"""The embedded ERP's documents: listing them in SQL, writing their PDFs, issuing them.

Documents are rows of ``erp_document`` (metadata only). An order's documents are numbered
after the ERP's order number (``SO-100042`` -> ``INV-100042``, ``DN-100042``, ...), so issuing
them again changes nothing; the embedded ERP issues the order confirmation when it receives an
order, the others on :func:`issue_order_documents` (``customer-center erp issue-documents``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlmodel import Session, and_, col, func, or_, select

from customer_center.domain.invoice_totals import DEFAULT_VAT_RATE, invoice_totals
from customer_center.domain.orders import price_cents
from customer_center.integrations.erp import embedded_credit_notes
from customer_center.integrations.erp.document_pdf import (
    DocumentContent,
    DocumentLine,
    render_document,
)
from customer_center.integrations.erp.protocol import (
    DocumentFilter,
    DocumentKind,
    ErpDocument,
    ErpDocumentFile,
)
from customer_center.integrations.erp.tables import (
    ErpCreditNoteRow,
    ErpCustomerRow,
    ErpDocumentRow,
    ErpOrderLineRow,
    ErpOrderRow,
    ErpProductRow,
    canonical_key,
)

MAX_PAGE_SIZE = 200
PREFIXES: dict[str, str] = {
    "order_confirmation": "OC-",
    "invoice": "INV-",
    "delivery_note": "DN-",
    "credit_note": "CN-",
}
PDF = "application/pdf"


def _filtered(query: Any, customer_number: str, wanted: DocumentFilter) -> Any:
    query = query.where(ErpDocumentRow.customer_number == canonical_key(customer_number))
    kinds = col(ErpDocumentRow.kind).in_(wanted.kinds) if wanted.kinds else None
    if wanted.also_kinds and wanted.also_orders:
        also = and_(
            col(ErpDocumentRow.kind).in_(wanted.also_kinds),
            col(ErpDocumentRow.order_number).in_([canonical_key(n) for n in wanted.also_orders]),
        )
        query = query.where(also if kinds is None else or_(kinds, also))
    elif kinds is not None:
        query = query.where(kinds)
    if wanted.issued_from:
        query = query.where(col(ErpDocumentRow.issued_on) >= wanted.issued_from)
    if wanted.issued_to:
        query = query.where(col(ErpDocumentRow.issued_on) <= wanted.issued_to)
    if wanted.order_number:
        query = query.where(ErpDocumentRow.order_number == canonical_key(wanted.order_number))
    return query


def list_documents(
    session: Session, customer_number: str, wanted: DocumentFilter, offset: int, limit: int
) -> list[ErpDocument]:
    query = (
        _filtered(select(ErpDocumentRow), customer_number, wanted)
        .order_by(col(ErpDocumentRow.issued_on).desc(), col(ErpDocumentRow.document_number).desc())
        .offset(max(offset, 0))
        .limit(max(0, min(limit, MAX_PAGE_SIZE)))
    )
    return [document(row) for row in session.exec(query)]


def count_documents(
    session: Session, customer_number: str, wanted: DocumentFilter, up_to: int | None = None
) -> int:
    """The matching documents, counted to ``up_to`` at most (a bounded index range)."""
    if up_to is None:
        query = _filtered(select(func.count()).select_from(ErpDocumentRow), customer_number, wanted)
        return int(session.exec(query).one())
    matching = _filtered(select(ErpDocumentRow.document_number), customer_number, wanted)
    bounded = matching.limit(max(up_to, 0)).subquery()
    return int(session.exec(select(func.count()).select_from(bounded)).one())


def vat_rate(session: Session, customer_number: str) -> Decimal | None:
    row = session.get(ErpCustomerRow, canonical_key(customer_number))
    return Decimal(row.vat_rate) if row else None


def own_document(
    session: Session, customer_number: str, document_number: str
) -> ErpDocumentRow | None:
    """The document, only if it is this customer's (another's is as absent as none)."""
    row = session.get(ErpDocumentRow, canonical_key(document_number))
    if row is None or row.customer_number != canonical_key(customer_number):
        return None
    return row


def fetch_document(
    session: Session, customer_number: str, document_number: str
) -> ErpDocumentFile | None:
    row = own_document(session, customer_number, document_number)
    if row is None:
        return None
    customer = session.get(ErpCustomerRow, row.customer_number)
    assert customer is not None  # a foreign key
    content = _content(session, row, customer)
    return ErpDocumentFile(
        document=document(row),
        filename=f"{row.document_number}.pdf",
        media_type=PDF,
        content=render_document(content),
    )


def _content(session: Session, row: ErpDocumentRow, customer: ErpCustomerRow) -> DocumentContent:
    order = _order(session, row)
    credit = None
    if row.kind == "credit_note":
        credit = embedded_credit_notes.credit_note_of(session, row.document_number)
    if credit is not None:
        return _credit_content(session, row, customer, order, credit)
    header: dict[str, Any] = order.header if order else {}
    address = header.get("billing_address") or {}
    if row.kind == "delivery_note":
        address = header.get("delivery_address") or address
    lines = _lines(session, order.id) if order and order.id is not None else []
    shipping = str(header.get("shipping_method", ""))
    totals = None
    if order is not None:
        goods = sum(line.line_total_cents for line in lines)
        rate = Decimal(customer.vat_rate) if customer.vat_rate is not None else DEFAULT_VAT_RATE
        totals = invoice_totals(
            goods, shipping_method=shipping, vat_rate=rate, currency=order.currency
        )
    return DocumentContent(
        kind=row.kind,
        number=row.document_number,
        issued_on=row.issued_on,
        customer_number=customer.customer_number,
        customer_name=customer.name,
        address=_address_lines(address) or _customer_address(customer),
        order_number=row.order_number,
        reference=order.reference if order else "",
        shipping_method=shipping,
        lines=lines,
        totals=totals,
        note=_certificate(session, row) if row.kind == "certificate" else "",
    )


def _credit_content(
    session: Session,
    row: ErpDocumentRow,
    customer: ErpCustomerRow,
    order: ErpOrderRow | None,
    credit: ErpCreditNoteRow,
) -> DocumentContent:
    """A credit note for a portal return or credit request: its own lines, negative."""
    header: dict[str, Any] = order.header if order else {}
    document_lines = embedded_credit_notes.lines(session, credit, order)
    return DocumentContent(
        kind=row.kind,
        number=row.document_number,
        issued_on=row.issued_on,
        customer_number=customer.customer_number,
        customer_name=customer.name,
        address=_address_lines(header.get("billing_address") or {}) or _customer_address(customer),
        order_number=row.order_number,
        reference=order.reference if order else "",
        shipping_method="",
        lines=document_lines,
        totals=embedded_credit_notes.totals(document_lines, customer, row.currency),
        note=embedded_credit_notes.note_text(credit),
    )


def _order(session: Session, row: ErpDocumentRow) -> ErpOrderRow | None:
    if not row.order_number:
        return None
    return session.exec(
        select(ErpOrderRow).where(
            ErpOrderRow.erp_order_number == row.order_number,
            ErpOrderRow.customer_number == row.customer_number,
        )
    ).first()


def _lines(session: Session, erp_order_id: int) -> list[DocumentLine]:
    query = (
        select(ErpOrderLineRow)
        .where(ErpOrderLineRow.erp_order_id == erp_order_id)
        .order_by(col(ErpOrderLineRow.position))
    )
    return [
        DocumentLine(
            position=line.position,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit=line.unit,
            unit_price_cents=price_cents(line.unit_price),
            line_total_cents=price_cents(line.line_total),
        )
        for line in session.exec(query)
    ]


def _address_lines(address: dict[str, Any]) -> list[str]:
    city = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
    parts = [address.get("name", ""), address.get("street", ""), city, address.get("country", "")]
    return [str(part) for part in parts if part]


def _customer_address(customer: ErpCustomerRow) -> list[str]:
    return _address_lines(
        {
            "name": customer.name,
            "street": customer.street,
            "postal_code": customer.postal_code,
            "city": customer.city,
            "country": customer.country,
        }
    )


def _certificate(session: Session, row: ErpDocumentRow) -> str:
    product = session.get(ErpProductRow, row.sku) if row.sku else None
    if product is None:
        return row.title
    return "\n".join(
        [
            f"Article {product.sku}: {product.name}",
            product.description,
            "We confirm that the product named above conforms to the specifications",
            "stated in its data sheet and to the applicable EU directives.",
        ]
    )


def document(row: ErpDocumentRow) -> ErpDocument:
    return ErpDocument(
        document_number=row.document_number,
        customer_number=row.customer_number,
        kind=cast(DocumentKind, row.kind),  # guarded by ck_erp_document_kind
        issued_on=row.issued_on,
        order_number=row.order_number,
        sku=row.sku,
        title=row.title,
        currency=row.currency,
    )


def order_document_number(kind: str, order_number: str) -> str:
    """``INV-100042`` for the invoice of ``SO-100042``."""
    return PREFIXES[kind] + canonical_key(order_number).removeprefix("SO-")


def issue_order_documents(
    session: Session, order_number: str, kinds: Iterable[str], day: date
) -> list[str]:
    """Issue the given kinds of documents for the ERP order (those not issued yet); returns
    the numbers of all of them. Nothing for an unknown order."""
    order = session.exec(
        select(ErpOrderRow).where(ErpOrderRow.erp_order_number == canonical_key(order_number))
    ).first()
    if order is None:
        return []
    numbers = []
    for kind in kinds:
        number = order_document_number(kind, order.erp_order_number)
        if session.get(ErpDocumentRow, number) is None:
            session.add(
                ErpDocumentRow(
                    document_number=number,
                    customer_number=order.customer_number,
                    kind=kind,
                    issued_on=day,
                    order_number=order.erp_order_number,
                    currency=order.currency,
                )
            )
        numbers.append(number)
    session.flush()
    return numbers
