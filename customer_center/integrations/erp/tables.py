"""The embedded ERP's master data, in tables of its own (prefix ``erp_``).

Natural keys (customer and invoice numbers, SKUs, contact and address ids) are stored in
their canonical form, see :func:`canonical_key`, so a case-insensitive lookup is a plain
primary-key lookup. E-mail addresses keep their spelling and are indexed by ``lower(email)``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, Numeric, func
from sqlmodel import Field, SQLModel

from customer_center.models.base import utcnow

KEY_LENGTH = 32


def canonical_key(value: str) -> str:
    """The stored form of a natural key: no surrounding whitespace, upper case."""
    return value.strip().upper()


def _money() -> Column:
    return Column(Numeric(12, 2), nullable=False)


def _customer_fk(**kwargs: Any) -> Any:
    return Field(foreign_key="erp_customer.customer_number", max_length=KEY_LENGTH, **kwargs)


class ErpCustomerRow(SQLModel, table=True):
    __tablename__ = "erp_customer"

    customer_number: str = Field(primary_key=True, max_length=KEY_LENGTH)
    name: str = Field(max_length=200)
    allowed: bool = False
    # Space-separated, lower-case; few per customer, always read with the customer.
    email_domains: str = Field(default="", max_length=500)
    currency: str = Field(default="EUR", max_length=3)
    language: str = Field(default="en", max_length=5)
    street: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=2)
    # The VAT rate (percent) the ERP charges this customer; see domain/invoice_totals.py.
    vat_rate: Decimal = Field(
        default=Decimal("19.00"),
        sa_column=Column(Numeric(5, 2), nullable=False, server_default="19.00"),
    )


class ErpInvoiceRow(SQLModel, table=True):
    __tablename__ = "erp_invoice"

    invoice_number: str = Field(primary_key=True, max_length=KEY_LENGTH)
    customer_number: str = _customer_fk(index=True)
    issued_on: date
    total: Decimal = Field(sa_column=_money())
    currency: str = Field(default="EUR", max_length=3)


class ErpContactRow(SQLModel, table=True):
    __tablename__ = "erp_contact"

    contact_id: str = Field(primary_key=True, max_length=KEY_LENGTH)
    customer_number: str = _customer_fk(index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    role: str = Field(default="", max_length=100)


Index("ix_erp_contact_email_lower", func.lower(ErpContactRow.email))


class ErpAddressRow(SQLModel, table=True):
    __tablename__ = "erp_address"
    __table_args__ = (
        CheckConstraint("kind IN ('billing', 'delivery')", name="ck_erp_address_kind"),
    )

    address_id: str = Field(primary_key=True, max_length=KEY_LENGTH)
    customer_number: str = _customer_fk(index=True)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=200)
    street: str = Field(max_length=200)
    postal_code: str = Field(max_length=20)
    city: str = Field(max_length=100)
    country: str = Field(max_length=2)
    is_default: bool = False


class ErpProductRow(SQLModel, table=True):
    __tablename__ = "erp_product"

    sku: str = Field(primary_key=True, max_length=KEY_LENGTH)
    name: str = Field(max_length=200, index=True)  # the catalogue is sorted by name
    description: str = Field(default="", max_length=1000)
    unit: str = Field(default="pc", max_length=16)
    list_price: Decimal = Field(sa_column=_money())
    currency: str = Field(default="EUR", max_length=3)
    datasheet_url: str | None = Field(default=None, max_length=300)
    # Catalogue facts (issue 16): category, stock on hand, working days to deliver when
    # none is in stock, a picture (a web address or a path on this site).
    category: str = Field(default="", max_length=60, index=True)
    stock: int | None = None
    lead_days: int | None = None
    image_url: str | None = Field(default=None, max_length=300)


class ErpPriceRow(SQLModel, table=True):
    """A customer's contract price for a product: valid from ``valid_from`` to ``valid_to``
    (inclusive, either end open when ``None``) from ``min_quantity`` pieces on (a quantity
    break when more than 1). Several rows per customer and SKU; the rows of one minimum
    quantity never overlap in validity (checked by the import). Looked up by customer and SKU.
    """

    __tablename__ = "erp_price"
    __table_args__ = (
        Index("ix_erp_price_customer_sku", "customer_number", "sku"),
        CheckConstraint("min_quantity >= 1", name="ck_erp_price_min_quantity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_number: str = _customer_fk()
    sku: str = Field(foreign_key="erp_product.sku", max_length=KEY_LENGTH)
    price: Decimal = Field(sa_column=_money())
    currency: str = Field(default="EUR", max_length=3)
    valid_from: date | None = None
    valid_to: date | None = None
    min_quantity: int = 1


class ErpActivationNoticeRow(SQLModel, table=True):
    """What the ERP received from the portal: one row per delivered message id.

    No foreign key to the customer on purpose: a notice is evidence of what arrived, and a
    unique-key violation must only ever mean "this message was already recorded".
    """

    __tablename__ = "erp_activation_notice"

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=100, unique=True)
    customer_number: str = Field(max_length=KEY_LENGTH, index=True)
    email: str = Field(max_length=254)
    received_at: datetime = Field(default_factory=utcnow)
    erp_reference: str = Field(max_length=40, unique=True)


class ErpOrderRow(SQLModel, table=True):
    """An order the ERP received from the portal: one row per delivered message id.

    ``erp_order_number`` is the ERP's own number, answered to the portal; like the activation
    notices, no foreign key to the customer: the row is evidence of what arrived.
    """

    __tablename__ = "erp_order"

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=100, unique=True)
    erp_order_number: str = Field(max_length=40, unique=True)
    customer_number: str = Field(max_length=KEY_LENGTH, index=True)
    portal_order_id: int = Field(index=True)
    reference: str = Field(default="", max_length=100)
    requester_email: str = Field(default="", max_length=254)
    currency: str = Field(default="EUR", max_length=3)
    total: Decimal = Field(sa_column=_money())
    # Addresses, payment and shipping method, comment: as the portal sent them.
    header: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    received_at: datetime = Field(default_factory=utcnow)


class ErpOrderLineRow(SQLModel, table=True):
    __tablename__ = "erp_order_line"

    erp_order_id: int = Field(foreign_key="erp_order.id", primary_key=True)
    position: int = Field(primary_key=True)
    sku: str = Field(max_length=64)
    name: str = Field(max_length=200)
    unit: str = Field(default="", max_length=16)
    quantity: int
    unit_price: Decimal = Field(sa_column=_money())
    line_total: Decimal = Field(sa_column=_money())


class ErpDocumentRow(SQLModel, table=True):
    """A document the ERP issued to a customer: invoice, delivery note, credit note, order
    confirmation or product certificate. Only the metadata is stored; the embedded ERP writes
    the PDF when it is fetched (from the order's lines or the product), always the same bytes.

    ``order_number`` is the ERP's order number (``SO-…``) the document belongs to, if any;
    ``sku`` the product a certificate is about. Listed per customer, newest first.
    """

    __tablename__ = "erp_document"
    __table_args__ = (
        Index("ix_erp_document_customer_issued", "customer_number", "issued_on", "document_number"),
        # Each filter with the list's order (newest first), so a page needs no sort.
        Index(
            "ix_erp_document_customer_kind_issued",
            "customer_number",
            "kind",
            "issued_on",
            "document_number",
        ),
        Index(
            "ix_erp_document_customer_order",
            "customer_number",
            "order_number",
            "issued_on",
            "document_number",
        ),
        CheckConstraint(
            "kind IN ('invoice', 'delivery_note', 'credit_note', 'order_confirmation', "
            "'certificate')",
            name="ck_erp_document_kind",
        ),
    )

    document_number: str = Field(primary_key=True, max_length=KEY_LENGTH)
    customer_number: str = _customer_fk()
    kind: str = Field(max_length=24)
    issued_on: date
    order_number: str | None = Field(default=None, max_length=40)
    sku: str | None = Field(default=None, max_length=KEY_LENGTH)
    title: str = Field(default="", max_length=200)
    currency: str = Field(default="EUR", max_length=3)


class ErpCreditNoteRow(SQLModel, table=True):
    """A credit note the ERP issued for a portal return or credit request: one row per
    ``request_number`` (the idempotency key), with the credited lines as sent (``sku``,
    ``quantity``, ``unit_net`` as a decimal string). The document itself is the
    ``erp_document`` row ``document_number`` (kind ``credit_note``); its PDF is written from
    these lines when fetched."""

    __tablename__ = "erp_credit_note"

    id: int | None = Field(default=None, primary_key=True)
    request_number: str = Field(max_length=40, unique=True)
    message_id: str = Field(max_length=200)  # the first delivery's
    # Not a foreign key: the row is written first, to number the document after its id.
    document_number: str = Field(max_length=KEY_LENGTH, unique=True)
    customer_number: str = _customer_fk(index=True)
    portal_order_number: str = Field(default="", max_length=40)
    reason: str = Field(max_length=24)
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    received_at: datetime = Field(default_factory=utcnow)
