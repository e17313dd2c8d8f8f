"""A company's documents from the ERP: the list (filtered and paged in SQL by the ERP), an
order's documents, and the download of one document as a PDF.

Who may see what (one rule, :func:`visible_kinds` and :func:`_own_orders`): every document
needs ``documents.view``; invoices and credit notes are financial documents and need, besides,
``reports.view`` or ``orders.view_all`` (a controller or a purchaser sees all of them), or the
order they belong to is one the principal placed (a buyer sees the invoices and credit notes of
their own orders, not a colleague's). Documents a principal may not see are left out of every
list, in SQL (the ERP is given the newest :data:`MAX_OWN_ORDERS` own orders). A document is fetched
from the ERP by the principal's own customer number only, so a forged number of another
company's document finds nothing; that and "not allowed" are the same refusal
(:data:`REFUSED`), so a forged link learns nothing about what exists.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from customer_center.domain import inputs
from customer_center.domain.errors import ServiceError
from customer_center.domain.orders import number_of
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.integrations.erp.protocol import (
    DOCUMENT_KINDS,
    DocumentFilter,
    DocumentKind,
    ErpClient,
    ErpDocument,
    ErpDocumentFile,
    ErpUnavailable,
)
from customer_center.models.order import Order
from customer_center.services.orders.access import seen_order
from customer_center.services.shop.catalogue import ERP_UNAVAILABLE, company_customer_number

FINANCIAL: frozenset[str] = frozenset({"invoice", "credit_note"})
FINANCIAL_RIGHTS = (Permission.REPORTS_VIEW, Permission.ORDERS_VIEW_ALL)
REFUSED = "documents.error.refused"
PAGE_SIZE = 25
# Counted this far at most: beyond it the page says "more than 10,000" and pages on.
COUNT_LIMIT = 10_000
MAX_NUMBER_LENGTH = 40


# A buyer's own orders whose invoices and credit notes the list includes: the newest this many.
MAX_OWN_ORDERS = 200


def visible_kinds(principal: CustomerUser) -> tuple[DocumentKind, ...]:
    """The kinds of documents the principal may see of every order of the company (none
    without ``documents.view``)."""
    if not principal.may(Permission.DOCUMENTS_VIEW):
        return ()
    financial = principal.may(*FINANCIAL_RIGHTS)
    return tuple(k for k in DOCUMENT_KINDS if financial or k not in FINANCIAL)


def own_kinds(principal: CustomerUser) -> tuple[DocumentKind, ...]:
    """The kinds the principal sees only of the orders they placed themselves."""
    if not principal.may(Permission.DOCUMENTS_VIEW):
        return ()
    shown = visible_kinds(principal)
    return tuple(k for k in DOCUMENT_KINDS if k in FINANCIAL and k not in shown)


def _own_orders(
    session: Session, principal: CustomerUser, erp_order_number: str | None = None
) -> tuple[str, ...]:
    """The ERP numbers of orders the principal placed in their company, newest first (only
    ``erp_order_number``, if it is one of them)."""
    query = select(Order.erp_order_number).where(
        Order.company_id == principal.company_id,
        Order.requester_id == principal.user_id,
        col(Order.erp_order_number).is_not(None),
    )
    if erp_order_number is not None:
        query = query.where(Order.erp_order_number == erp_order_number)
    query = query.order_by(col(Order.submitted_at).desc()).limit(MAX_OWN_ORDERS)
    return tuple(number for number in session.exec(query) if number)


def _also(
    wanted: DocumentFilter, own: tuple[DocumentKind, ...], orders: tuple[str, ...], kind: str
) -> DocumentFilter:
    """The filter with ``also_kinds``/``also_orders``: the financial kinds of the principal's
    own orders (of ``kind`` only, when one was chosen)."""
    kinds = tuple(k for k in own if not kind or k == kind)
    if not kinds or not orders:
        return wanted
    return dataclasses.replace(wanted, also_kinds=kinds, also_orders=orders)


def _may_see(session: Session, principal: CustomerUser, document: ErpDocument) -> bool:
    if document.kind in visible_kinds(principal):
        return True
    return bool(
        document.kind in own_kinds(principal)
        and document.order_number
        and _own_orders(session, principal, document.order_number)
    )


@dataclass(frozen=True)
class DocumentRow:
    number: str
    kind: str
    issued_on: date
    title: str
    erp_order_number: str  # "" when the document belongs to no order
    order_id: int | None  # the portal's order, when it is one of the company's
    order_number: str  # PO-000042, or ""


@dataclass(frozen=True)
class DocumentQuery:
    """The filter as the browser sent it; every value is parsed here."""

    kind: object = ""
    issued_from: object = ""
    issued_to: object = ""
    order: object = ""  # PO-000042 (the portal's number) or SO-100042 (the ERP's)


@dataclass(frozen=True)
class DocumentPage:
    rows: list[DocumentRow]
    total: int
    offset: int
    kinds: tuple[DocumentKind, ...]  # what the filter offers this principal
    erp_reachable: bool = True
    more: bool = False  # more than ``total`` (= COUNT_LIMIT) match; counting stopped there


def _day(value: object) -> date | None:
    return inputs.parse_date(value) if isinstance(value, str) and value.strip() else None


def _erp_order_number(session: Session, principal: CustomerUser, text: str) -> str | None:
    """The ERP's order number for what was typed: a PO number of the company's orders is
    looked up (one that is not the company's finds nothing), an SO number is taken as is."""
    upper = text.strip().upper()
    if upper.startswith("PO-"):
        order_id = inputs.parse_id(upper.removeprefix("PO-"))
        order = session.get(Order, order_id) if order_id else None
        if order is None or order.company_id != principal.company_id:
            return "-"  # matches no document
        return order.erp_order_number or "-"
    return upper or None


def _filter(
    session: Session, principal: CustomerUser, query: DocumentQuery
) -> tuple[DocumentFilter, tuple[DocumentKind, ...]]:
    allowed = visible_kinds(principal)
    kind = query.kind if isinstance(query.kind, str) else ""
    kinds = tuple(k for k in allowed if k == kind) if kind else allowed
    typed = inputs.bounded_text(query.order, MAX_NUMBER_LENGTH + 1).strip()
    order = inputs.parse_reference(typed, MAX_NUMBER_LENGTH)
    if typed and order is None:
        order = "-"  # not a number of any order: matches no document
    wanted = DocumentFilter(
        kinds=kinds,  # empty (a kind not allowed, or no right): nothing else is listed
        issued_from=_day(query.issued_from),
        issued_to=_day(query.issued_to),
        order_number=_erp_order_number(session, principal, order) if order else None,
    )
    own = own_kinds(principal)
    orders = _own_orders(session, principal) if own else ()
    offered = allowed + own if orders else allowed  # financial kinds when there are own orders
    return _also(wanted, own, orders, kind), offered


def _rows(
    session: Session, principal: CustomerUser, documents: list[ErpDocument]
) -> list[DocumentRow]:
    """The documents with the company's own orders they belong to (one query per page)."""
    numbers = sorted({d.order_number for d in documents if d.order_number})
    orders: dict[str, int] = {}
    if numbers:
        found = session.exec(
            select(Order.erp_order_number, Order.id).where(
                Order.company_id == principal.company_id,
                col(Order.erp_order_number).in_(numbers),
            )
        )
        orders = {number: order_id for number, order_id in found if number and order_id}
    rows = []
    for doc in documents:
        order_id = orders.get(doc.order_number or "")
        rows.append(
            DocumentRow(
                number=doc.document_number,
                kind=doc.kind,
                issued_on=doc.issued_on,
                title=doc.title,
                erp_order_number=doc.order_number or "",
                order_id=order_id,
                order_number=number_of(order_id) if order_id else "",
            )
        )
    return rows


def list_documents(
    session: Session,
    principal: CustomerUser,
    *,
    erp: ErpClient,
    query: DocumentQuery,
    offset: object = 0,
    limit: int = PAGE_SIZE,
) -> DocumentPage:
    """One page of the company's documents the principal may see, newest first."""
    principal.require(Permission.DOCUMENTS_VIEW)
    wanted, allowed = _filter(session, principal, query)
    start = inputs.parse_whole(offset, inputs.MAX_DB_INT) or 0
    customer = company_customer_number(session, principal)
    if not wanted.kinds and not wanted.also_orders:
        return DocumentPage([], 0, 0, allowed)
    if set(wanted.kinds) == set(DOCUMENT_KINDS):  # every kind: no filter, the plain index order
        wanted = dataclasses.replace(wanted, kinds=())
    try:
        # Counted to the limit, or past the page shown: there is always a next page to go to
        # while more match.
        bound = max(COUNT_LIMIT, start + limit)
        counted = erp.count_documents(customer, wanted, up_to=bound + 1)
        documents = erp.list_documents(customer, wanted, start, limit)
    except ErpUnavailable:
        return DocumentPage([], 0, start, allowed, erp_reachable=False)
    more = counted > bound
    total = bound if more else counted
    return DocumentPage(_rows(session, principal, documents), total, start, allowed, more=more)


MAX_ORDER_DOCUMENTS = 50


def order_documents(
    session: Session, principal: CustomerUser, *, erp: ErpClient, order_id: object
) -> list[DocumentRow]:
    """The documents of one order the principal may see (and may see documents of); ``[]``
    before the ERP has the order, or while it cannot be reached."""
    kinds = visible_kinds(principal)
    order = seen_order(session, principal, order_id=order_id)
    if not kinds or not order.erp_order_number:
        return []
    if order.requester_id == principal.user_id:
        kinds += own_kinds(principal)
    customer = company_customer_number(session, principal)
    wanted = DocumentFilter(kinds=kinds, order_number=order.erp_order_number)
    try:
        documents = erp.list_documents(customer, wanted, 0, MAX_ORDER_DOCUMENTS)
    except ErpUnavailable:
        return []
    return _rows(session, principal, documents)


def fetch_document(
    session: Session, principal: CustomerUser, *, erp: ErpClient, number: object
) -> ErpDocumentFile:
    """The document as a PDF, if it is the company's and a kind the principal may see;
    :data:`REFUSED` otherwise (also for a number that does not exist)."""
    principal.require(Permission.DOCUMENTS_VIEW)
    text = inputs.parse_reference(number, MAX_NUMBER_LENGTH)
    if text is None:
        raise ServiceError(REFUSED)
    customer = company_customer_number(session, principal)
    try:
        found = erp.fetch_document(customer, text)
    except ErpUnavailable as error:
        raise ServiceError(ERP_UNAVAILABLE) from error
    if found is None or not _may_see(session, principal, found.document):
        raise ServiceError(REFUSED)
    return found
