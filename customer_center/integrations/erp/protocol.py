"""The ERP port: what the portal asks of the seller's ERP, in plain values only.

Transport-neutral on purpose: the embedded implementation reads SQL tables, a later HTTP/JSON
client will implement the same protocol. Nothing here knows about sessions or rows; every
value is a frozen dataclass of strings, booleans, dates and Decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol

AddressKind = Literal["billing", "delivery"]
ADDRESS_KINDS: tuple[AddressKind, ...] = ("billing", "delivery")


class ErpUnavailable(Exception):
    """The ERP cannot be reached right now; the caller retries later (outbox)."""


@dataclass(frozen=True)
class ErpCustomer:
    customer_number: str
    name: str
    allowed: bool  # may this customer activate the portal at all?
    email_domains: tuple[str, ...]  # lower-case, e.g. ("example.com",)
    currency: str
    language: str
    street: str
    postal_code: str
    city: str
    country: str


@dataclass(frozen=True)
class ErpInvoice:
    invoice_number: str
    customer_number: str
    issued_on: date
    total: Decimal
    currency: str


@dataclass(frozen=True)
class ErpContact:
    contact_id: str
    customer_number: str
    name: str
    email: str
    role: str


@dataclass(frozen=True)
class ErpAddress:
    address_id: str
    customer_number: str
    kind: AddressKind
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    is_default: bool


@dataclass(frozen=True)
class ErpProduct:
    sku: str
    name: str
    description: str
    unit: str
    list_price: Decimal
    currency: str
    datasheet_url: str | None


@dataclass(frozen=True)
class ErpPrice:
    """A price agreed with one customer for one product, overriding the list price."""

    sku: str
    customer_number: str
    price: Decimal
    currency: str


@dataclass(frozen=True)
class ErpProductOffer:
    """A product with the price this customer pays: its own price where it has one."""

    product: ErpProduct
    price: Decimal
    currency: str
    is_customer_price: bool


@dataclass(frozen=True)
class ErpOrderLine:
    position: int
    sku: str
    name: str
    unit: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class ErpOrderAddress:
    name: str
    street: str
    postal_code: str
    city: str
    country: str


@dataclass(frozen=True)
class ErpOrderRequest:
    """An approved order as the ERP receives it: the approved revision's lines and header.

    ``portal_order_id`` names the order in the portal (shown in the ERP, never used as its
    key); ``reference`` is the customer's own order reference.
    """

    portal_order_id: int
    customer_number: str
    reference: str
    requester_name: str
    requester_email: str
    currency: str
    total: Decimal
    delivery_address: ErpOrderAddress
    billing_address: ErpOrderAddress
    payment_method: str
    shipping_method: str
    comment: str
    lines: tuple[ErpOrderLine, ...]


class ErpClient(Protocol):
    """Lookups are case-insensitive and ignore surrounding whitespace in the numbers given.

    Every method may raise :class:`ErpUnavailable`.
    """

    def get_customer(self, customer_number: str) -> ErpCustomer | None: ...

    def get_invoice(self, invoice_number: str) -> ErpInvoice | None: ...

    def list_contacts(self, customer_number: str) -> list[ErpContact]: ...

    def find_contact(self, customer_number: str, email: str) -> ErpContact | None:
        """The customer's contact with this e-mail address (compared case-insensitively)."""
        ...

    def list_addresses(self, customer_number: str) -> list[ErpAddress]: ...

    def list_products(
        self, customer_number: str, search: str = "", offset: int = 0, limit: int = 50
    ) -> list[ErpProductOffer]:
        """One page of the catalogue, sorted by name, filtered by ``search`` if given."""
        ...

    def count_products(self, customer_number: str, search: str = "") -> int: ...

    def get_offers(self, customer_number: str, skus: Sequence[str]) -> dict[str, ErpProductOffer]:
        """The offers for ``skus`` keyed by canonical SKU (stripped, upper case); unknown SKUs
        are left out, so the caller can name them."""
        ...

    def notify_company_activated(
        self, customer_number: str, main_contact_email: str, message_id: str
    ) -> None:
        """Idempotent by ``message_id``: a repeated delivery is recorded once."""
        ...

    def place_order(self, order: ErpOrderRequest, message_id: str) -> str:
        """Record an approved order; returns the ERP's order number (e.g. ``SO-100234``).

        Idempotent by ``message_id``: a repeated delivery answers the number given the first
        time and records nothing new.
        """
        ...
