"""The embedded ERP: the protocol answered from the ``erp_*`` tables.

Each call opens its own short session, so the client is safe to share between threads and
never holds a connection between calls. Paging, sorting and search happen in SQL.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from customer_center.domain.inputs import LIKE_ESCAPE, like_pattern
from customer_center.domain.portal_time import local_today
from customer_center.domain.prices import ContractTerm, quote
from customer_center.integrations.erp import (
    embedded_contacts,
    embedded_credit_notes,
    embedded_documents,
)
from customer_center.integrations.erp.protocol import (
    AddressKind,
    DocumentFilter,
    ErpAddress,
    ErpContact,
    ErpContactChange,
    ErpContactReceipt,
    ErpCreditRequest,
    ErpCustomer,
    ErpDocument,
    ErpDocumentFile,
    ErpInvoice,
    ErpOrderLine,
    ErpOrderRequest,
    ErpPrice,
    ErpProduct,
    ErpProductOffer,
)
from customer_center.integrations.erp.tables import (
    ErpActivationNoticeRow,
    ErpAddressRow,
    ErpContactRow,
    ErpCustomerRow,
    ErpInvoiceRow,
    ErpOrderLineRow,
    ErpOrderRow,
    ErpPriceRow,
    ErpProductRow,
    canonical_key,
)

MAX_PAGE_SIZE = 200


class EmbeddedErpClient:
    """:class:`~customer_center.integrations.erp.protocol.ErpClient` on the local database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _session(self) -> Session:
        return Session(self._engine, expire_on_commit=False)

    def get_customer(self, customer_number: str) -> ErpCustomer | None:
        with self._session() as session:
            row = session.get(ErpCustomerRow, canonical_key(customer_number))
            return _customer(row) if row else None

    def get_invoice(self, invoice_number: str) -> ErpInvoice | None:
        with self._session() as session:
            row = session.get(ErpInvoiceRow, canonical_key(invoice_number))
            return _invoice(row) if row else None

    def list_contacts(self, customer_number: str) -> list[ErpContact]:
        query = (
            select(ErpContactRow)
            .where(ErpContactRow.customer_number == canonical_key(customer_number))
            .order_by(col(ErpContactRow.name), col(ErpContactRow.contact_id))
        )
        with self._session() as session:
            return [_contact(row) for row in session.exec(query)]

    def find_contact(self, customer_number: str, email: str) -> ErpContact | None:
        query = select(ErpContactRow).where(
            ErpContactRow.customer_number == canonical_key(customer_number),
            func.lower(ErpContactRow.email) == email.strip().lower(),
        )
        with self._session() as session:
            row = session.exec(query).first()
            return _contact(row) if row else None

    def list_addresses(self, customer_number: str) -> list[ErpAddress]:
        query = (
            select(ErpAddressRow)
            .where(ErpAddressRow.customer_number == canonical_key(customer_number))
            .order_by(
                col(ErpAddressRow.kind),
                col(ErpAddressRow.is_default).desc(),
                col(ErpAddressRow.address_id),
            )
        )
        with self._session() as session:
            return [_address(row) for row in session.exec(query)]

    def list_products(
        self,
        customer_number: str,
        search: str = "",
        offset: int = 0,
        limit: int = 50,
        *,
        day: date | None = None,
        category: str = "",
        sort: str = "name",
    ) -> list[ErpProductOffer]:
        query = (
            _category(_search(select(ErpProductRow), search), category)
            .order_by(*_product_order(sort))
            .offset(max(offset, 0))
            .limit(max(0, min(limit, MAX_PAGE_SIZE)))
        )
        with self._session() as session:
            products = list(session.exec(query))
            return _offers(session, canonical_key(customer_number), products, {}, day)

    def count_products(self, customer_number: str, search: str = "", *, category: str = "") -> int:
        # Prices cannot change the count: they are looked up for the page's products only.
        query = _category(
            _search(select(func.count()).select_from(ErpProductRow), search), category
        )
        with self._session() as session:
            return int(session.exec(query).one())

    def list_categories(self, customer_number: str) -> list[str]:
        query = (
            select(ErpProductRow.category)
            .where(ErpProductRow.category != "")
            .distinct()
            .order_by(col(ErpProductRow.category))
        )
        with self._session() as session:
            return list(session.exec(query))

    def get_offers(
        self,
        customer_number: str,
        skus: Sequence[str],
        *,
        quantities: Mapping[str, int] | None = None,
        day: date | None = None,
    ) -> dict[str, ErpProductOffer]:
        keys = sorted({canonical_key(sku) for sku in skus if isinstance(sku, str)})
        if not keys:
            return {}
        wanted = {canonical_key(sku): amount for sku, amount in (quantities or {}).items()}
        query = select(ErpProductRow).where(col(ErpProductRow.sku).in_(keys))
        with self._session() as session:
            products = list(session.exec(query))
            offers = _offers(session, canonical_key(customer_number), products, wanted, day)
            return {offer.product.sku: offer for offer in offers}

    def list_contract_prices(self, customer_number: str, sku: str) -> list[ErpPrice]:
        query = select(ErpPriceRow).where(
            ErpPriceRow.customer_number == canonical_key(customer_number),
            ErpPriceRow.sku == canonical_key(sku),
        )
        with self._session() as session:
            prices = [_price(row) for row in session.exec(query)]
        # Open starts first (NULL sorts differently in SQLite and PostgreSQL).
        return sorted(prices, key=lambda p: (p.min_quantity, p.valid_from or date.min))

    def notify_company_activated(
        self, customer_number: str, main_contact_email: str, message_id: str
    ) -> None:
        with self._session() as session:
            if _notice_recorded(session, message_id):
                return
            session.add(
                ErpActivationNoticeRow(
                    message_id=message_id,
                    customer_number=canonical_key(customer_number),
                    email=main_contact_email.strip().lower(),
                    erp_reference=f"ACT-{secrets.token_hex(6).upper()}",
                )
            )
            try:
                session.commit()
            except IntegrityError:
                # A concurrent delivery of the same message won the race; that is success.
                session.rollback()
                if not _notice_recorded(session, message_id):
                    raise

    def place_order(self, order: ErpOrderRequest, message_id: str) -> str:
        with self._session() as session:
            known = _order_number(session, message_id)
            if known is not None:
                return known
            row = ErpOrderRow(
                message_id=message_id,
                erp_order_number=f"PENDING-{secrets.token_hex(8)}",
                customer_number=canonical_key(order.customer_number),
                portal_order_id=order.portal_order_id,
                reference=order.reference,
                requester_email=order.requester_email,
                currency=order.currency,
                total=order.total,
                header=_order_header(order),
            )
            session.add(row)
            try:
                session.flush()
                assert row.id is not None
                row.erp_order_number = f"{ORDER_NUMBER_PREFIX}{ORDER_NUMBER_BASE + row.id}"
                session.add_all(_order_line(row.id, line) for line in order.lines)
                session.commit()
            except IntegrityError:
                # A concurrent delivery of the same message won the race: answer its number.
                session.rollback()
                known = _order_number(session, message_id)
                if known is None:
                    raise
                return known
            return row.erp_order_number

    def apply_contact_change(self, change: ErpContactChange, message_id: str) -> ErpContactReceipt:
        with self._session() as session:
            receipt = embedded_contacts.apply_contact_change(session, change)
            session.commit()
            return receipt

    # --- Documents and tax rates (issue 16), see embedded_documents.py ------------------

    def get_vat_rate(self, customer_number: str) -> Decimal | None:
        with self._session() as session:
            return embedded_documents.vat_rate(session, customer_number)

    def list_documents(
        self,
        customer_number: str,
        document_filter: DocumentFilter,
        offset: int = 0,
        limit: int = 50,
    ) -> list[ErpDocument]:
        with self._session() as session:
            return embedded_documents.list_documents(
                session, customer_number, document_filter, offset, limit
            )

    def count_documents(
        self, customer_number: str, document_filter: DocumentFilter, *, up_to: int | None = None
    ) -> int:
        with self._session() as session:
            return embedded_documents.count_documents(
                session, customer_number, document_filter, up_to
            )

    def fetch_document(self, customer_number: str, document_number: str) -> ErpDocumentFile | None:
        with self._session() as session:
            return embedded_documents.fetch_document(session, customer_number, document_number)

    def get_document(self, customer_number: str, document_number: str) -> ErpDocument | None:
        """The embedded ERP's own, not the protocol's: a document's data without its PDF,
        only if it is this customer's (the reference service's ``GET .../documents/{n}``)."""
        with self._session() as session:
            row = embedded_documents.own_document(session, customer_number, document_number)
            return embedded_documents.document(row) if row else None

    # --- Credit notes (issue 18), see embedded_credit_notes.py -----------------------------

    def request_credit_note(self, request: ErpCreditRequest, message_id: str) -> str:
        """Raises ``ValueError`` for a request it cannot book (``UnknownCreditCustomer``, a
        ``ValueError``, for an unknown customer)."""
        with self._session() as session:
            return embedded_credit_notes.issue_once(session, request, message_id, local_today())

    def issue_order_documents(
        self, order_number: str, kinds: Sequence[str], day: date | None = None
    ) -> list[str]:
        """The embedded ERP's own work, not the protocol's: issue documents of these kinds
        for one of its orders (``customer-center erp issue-documents``); their numbers."""
        with self._session() as session:
            numbers = embedded_documents.issue_order_documents(
                session, order_number, kinds, day or local_today()
            )
            session.commit()
            return numbers


ORDER_NUMBER_PREFIX = "SO-"
ORDER_NUMBER_BASE = 100000


def _order_number(session: Session, message_id: str) -> str | None:
    query = select(ErpOrderRow.erp_order_number).where(ErpOrderRow.message_id == message_id)
    return session.exec(query).first()


def _order_header(order: ErpOrderRequest) -> dict[str, Any]:
    return {
        "requester_name": order.requester_name,
        "delivery_address": dataclasses.asdict(order.delivery_address),
        "billing_address": dataclasses.asdict(order.billing_address),
        "payment_method": order.payment_method,
        "shipping_method": order.shipping_method,
        "comment": order.comment,
    }


def _order_line(erp_order_id: int, line: ErpOrderLine) -> ErpOrderLineRow:
    return ErpOrderLineRow(
        erp_order_id=erp_order_id,
        position=line.position,
        sku=canonical_key(line.sku),
        name=line.name,
        unit=line.unit,
        quantity=line.quantity,
        unit_price=line.unit_price,
        line_total=line.line_total,
    )


def _notice_recorded(session: Session, message_id: str) -> bool:
    query = select(ErpActivationNoticeRow.id).where(ErpActivationNoticeRow.message_id == message_id)
    return session.exec(query).first() is not None


def _offers(
    session: Session,
    customer_number: str,
    products: Iterable[ErpProductRow],
    quantities: Mapping[str, int],
    day: date | None,
) -> list[ErpProductOffer]:
    """The products (in the given order) priced for this customer: one query for the contract
    rows of all of them, the rule of :mod:`customer_center.domain.prices` for each."""
    products = list(products)
    terms = _contract_terms(session, customer_number, [p.sku for p in products])
    on = day or local_today()
    return [
        ErpProductOffer(
            product=_product(product),
            quote=quote(
                product.list_price,
                product.currency,
                terms.get(product.sku, ()),
                quantity=quantities.get(product.sku, 1),
                day=on,
            ),
        )
        for product in products
    ]


def _contract_terms(
    session: Session, customer_number: str, skus: Sequence[str]
) -> dict[str, list[ContractTerm]]:
    if not skus:
        return {}
    query = select(ErpPriceRow).where(
        ErpPriceRow.customer_number == customer_number, col(ErpPriceRow.sku).in_(skus)
    )
    terms: dict[str, list[ContractTerm]] = defaultdict(list)
    for row in session.exec(query):
        terms[row.sku].append(_price(row).term)
    return terms


_PRODUCT_ORDERS: dict[str, tuple[Any, ...]] = {
    "name": (col(ErpProductRow.name), col(ErpProductRow.sku)),
    "sku": (col(ErpProductRow.sku),),
    "price_asc": (col(ErpProductRow.list_price), col(ErpProductRow.name), col(ErpProductRow.sku)),
    "price_desc": (
        col(ErpProductRow.list_price).desc(),
        col(ErpProductRow.name),
        col(ErpProductRow.sku),
    ),
}


def _product_order(sort: str) -> tuple[Any, ...]:
    """The ORDER BY of a catalogue page; an unknown sort is by name."""
    return _PRODUCT_ORDERS.get(sort, _PRODUCT_ORDERS["name"])


def _category(query: Any, category: str) -> Any:
    return query.where(ErpProductRow.category == category) if category else query


def _search(query: Any, search: str) -> Any:
    """Filter on name, SKU or description containing ``search``, case-insensitive."""
    term = search.strip()
    if not term:
        return query
    pattern = like_pattern(term)
    return query.where(
        or_(
            *(
                column.ilike(pattern, escape=LIKE_ESCAPE)
                for column in (
                    col(ErpProductRow.name),
                    col(ErpProductRow.sku),
                    col(ErpProductRow.description),
                )
            )
        )
    )


def _customer(row: ErpCustomerRow) -> ErpCustomer:
    return ErpCustomer(
        customer_number=row.customer_number,
        name=row.name,
        allowed=row.allowed,
        email_domains=tuple(row.email_domains.lower().split()),
        currency=row.currency,
        language=row.language,
        street=row.street,
        postal_code=row.postal_code,
        city=row.city,
        country=row.country,
    )


def _invoice(row: ErpInvoiceRow) -> ErpInvoice:
    return ErpInvoice(
        invoice_number=row.invoice_number,
        customer_number=row.customer_number,
        issued_on=row.issued_on,
        total=row.total,
        currency=row.currency,
    )


def _contact(row: ErpContactRow) -> ErpContact:
    return ErpContact(
        contact_id=row.contact_id,
        customer_number=row.customer_number,
        name=row.name,
        email=row.email,
        role=row.role,
    )


def _address(row: ErpAddressRow) -> ErpAddress:
    return ErpAddress(
        address_id=row.address_id,
        customer_number=row.customer_number,
        kind=cast(AddressKind, row.kind),  # guarded by ck_erp_address_kind
        name=row.name,
        street=row.street,
        postal_code=row.postal_code,
        city=row.city,
        country=row.country,
        is_default=row.is_default,
    )


def _product(product: ErpProductRow) -> ErpProduct:
    return ErpProduct(
        sku=product.sku,
        name=product.name,
        description=product.description,
        unit=product.unit,
        list_price=product.list_price,
        currency=product.currency,
        datasheet_url=product.datasheet_url,
        category=product.category,
        stock=product.stock,
        lead_days=product.lead_days,
        image_url=product.image_url,
    )


def _price(row: ErpPriceRow) -> ErpPrice:
    return ErpPrice(
        sku=row.sku,
        customer_number=row.customer_number,
        price=row.price,
        currency=row.currency,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        min_quantity=row.min_quantity,
    )
