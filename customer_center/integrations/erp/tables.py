"""The embedded ERP's master data, in tables of its own (prefix ``erp_``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Numeric
from sqlmodel import Field, SQLModel

from customer_center.models.base import utcnow


def _money() -> Column:
    return Column(Numeric(12, 2), nullable=False)


class ErpCustomerRow(SQLModel, table=True):
    __tablename__ = "erp_customer"

    customer_number: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    allowed: bool = False
    email_domains: str = Field(default="", max_length=500)  # space-separated
    currency: str = Field(default="EUR", max_length=3)
    language: str = Field(default="en", max_length=5)
    street: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=2)


class ErpInvoiceRow(SQLModel, table=True):
    __tablename__ = "erp_invoice"

    invoice_number: str = Field(primary_key=True, max_length=32)
    customer_number: str = Field(foreign_key="erp_customer.customer_number", index=True)
    issued_on: date
    total: Decimal = Field(sa_column=_money())
    currency: str = Field(default="EUR", max_length=3)


class ErpContactRow(SQLModel, table=True):
    __tablename__ = "erp_contact"

    contact_id: str = Field(primary_key=True, max_length=32)
    customer_number: str = Field(foreign_key="erp_customer.customer_number", index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254, index=True)  # stored lower-cased
    role: str = Field(default="", max_length=100)


class ErpAddressRow(SQLModel, table=True):
    __tablename__ = "erp_address"

    address_id: str = Field(primary_key=True, max_length=32)
    customer_number: str = Field(foreign_key="erp_customer.customer_number", index=True)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=200)
    street: str = Field(max_length=200)
    postal_code: str = Field(max_length=20)
    city: str = Field(max_length=100)
    country: str = Field(max_length=2)
    is_default: bool = False


class ErpProductRow(SQLModel, table=True):
    __tablename__ = "erp_product"

    sku: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200, index=True)
    description: str = Field(default="", max_length=1000)
    unit: str = Field(default="pc", max_length=16)
    list_price: Decimal = Field(sa_column=_money())
    currency: str = Field(default="EUR", max_length=3)
    datasheet_url: str | None = Field(default=None, max_length=300)


class ErpPriceRow(SQLModel, table=True):
    __tablename__ = "erp_price"

    sku: str = Field(foreign_key="erp_product.sku", primary_key=True, max_length=32)
    customer_number: str = Field(
        foreign_key="erp_customer.customer_number", primary_key=True, max_length=32
    )
    price: Decimal = Field(sa_column=_money())
    currency: str = Field(default="EUR", max_length=3)


class ErpActivationNoticeRow(SQLModel, table=True):
    """What the ERP received from the portal: one row per delivered message id."""

    __tablename__ = "erp_activation_notice"

    message_id: str = Field(primary_key=True, max_length=100)
    customer_number: str = Field(max_length=32, index=True)
    email: str = Field(max_length=254)
    received_at: datetime = Field(default_factory=utcnow)
