"""The embedded ERP: the protocol answered from the ``erp_*`` tables."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from customer_center.integrations.erp.protocol import (
    ErpAddress,
    ErpContact,
    ErpCustomer,
    ErpInvoice,
    ErpProductOffer,
)
from customer_center.integrations.erp.tables import (
    ErpActivationNoticeRow,
    ErpAddressRow,
    ErpContactRow,
    ErpCustomerRow,
    ErpInvoiceRow,
    ErpPriceRow,
    ErpProductRow,
)


class EmbeddedErpClient:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get_customer(self, customer_number: str) -> ErpCustomer | None:
        with Session(self._engine) as session:
            row = session.get(ErpCustomerRow, customer_number.strip())
            return _customer(row) if row else None

    def get_invoice(self, invoice_number: str) -> ErpInvoice | None:
        with Session(self._engine) as session:
            row = session.get(ErpInvoiceRow, invoice_number.strip())
            if row is None:
                return None
            return ErpInvoice(
                row.invoice_number, row.customer_number, row.issued_on, row.total, row.currency
            )

    def list_contacts(self, customer_number: str) -> list[ErpContact]:
        with Session(self._engine) as session:
            rows = session.exec(
                select(ErpContactRow)
                .where(ErpContactRow.customer_number == customer_number.strip())
                .order_by(ErpContactRow.name)  # type: ignore[arg-type]
            ).all()
            return [
                ErpContact(r.contact_id, r.customer_number, r.name, r.email, r.role) for r in rows
            ]

    def list_addresses(self, customer_number: str) -> list[ErpAddress]:
        with Session(self._engine) as session:
            rows = session.exec(
                select(ErpAddressRow)
                .where(ErpAddressRow.customer_number == customer_number.strip())
                .order_by(ErpAddressRow.kind, ErpAddressRow.address_id)  # type: ignore[arg-type]
            ).all()
            return [
                ErpAddress(
                    r.address_id, r.customer_number, r.kind, r.name, r.street,
                    r.postal_code, r.city, r.country, r.is_default,
                )
                for r in rows
            ]

    def list_products(
        self, customer_number: str, search: str = "", offset: int = 0, limit: int = 50
    ) -> list[ErpProductOffer]:
        query = _offers_query(customer_number.strip(), search)
        with Session(self._engine) as session:
            rows = session.exec(
                query.order_by(ErpProductRow.name).offset(max(offset, 0)).limit(min(limit, 200))  # type: ignore[arg-type]
            ).all()
            return [_offer(product, price) for product, price in rows]

    def count_products(self, customer_number: str, search: str = "") -> int:
        query = _offers_query(customer_number.strip(), search).subquery()
        with Session(self._engine) as session:
            return int(session.exec(select(func.count()).select_from(query)).one())

    def notify_company_activated(
        self, customer_number: str, main_contact_email: str, message_id: str
    ) -> None:
        with Session(self._engine) as session:
            if session.get(ErpActivationNoticeRow, message_id) is not None:
                return
            session.add(
                ErpActivationNoticeRow(
                    message_id=message_id, customer_number=customer_number,
                    email=main_contact_email,
                )
            )
            try:
                session.commit()
            except IntegrityError:  # a concurrent delivery of the same message won
                session.rollback()


def _offers_query(customer_number: str, search: str):  # type: ignore[no-untyped-def]
    query = select(ErpProductRow, ErpPriceRow).join(
        ErpPriceRow,
        (ErpPriceRow.sku == ErpProductRow.sku) & (ErpPriceRow.customer_number == customer_number),  # type: ignore[arg-type]
        isouter=True,
    )
    term = search.strip()
    if term:
        pattern = f"%{term}%"
        query = query.where(
            or_(
                ErpProductRow.name.ilike(pattern),  # type: ignore[attr-defined]
                ErpProductRow.sku.ilike(pattern),  # type: ignore[attr-defined]
                ErpProductRow.description.ilike(pattern),  # type: ignore[attr-defined]
            )
        )
    return query


def _customer(row: ErpCustomerRow) -> ErpCustomer:
    return ErpCustomer(
        customer_number=row.customer_number,
        name=row.name,
        allowed=row.allowed,
        email_domains=tuple(d for d in row.email_domains.lower().split() if d),
        currency=row.currency,
        language=row.language,
        street=row.street,
        postal_code=row.postal_code,
        city=row.city,
        country=row.country,
    )


def _offer(product: ErpProductRow, price: ErpPriceRow | None) -> ErpProductOffer:
    return ErpProductOffer(
        sku=product.sku,
        name=product.name,
        description=product.description,
        unit=product.unit,
        list_price=product.list_price,
        price=price.price if price else product.list_price,
        currency=price.currency if price else product.currency,
        is_customer_price=price is not None,
        datasheet_url=product.datasheet_url,
    )
