"""The ERP port: what the portal asks of the seller's ERP, in plain values only.

Transport-neutral on purpose: the embedded implementation reads SQL tables, a later HTTP/JSON
client will implement the same protocol. Nothing here knows about sessions or rows; every
value is a frozen dataclass of strings, booleans, dates and Decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal, Protocol

from customer_center.domain.prices import ContractTerm, PriceQuote, PriceSource

# Issue 16 (catalogue): how list_products may sort; list prices, since a customer's prices
# differ per quantity and day.
PRODUCT_SORTS: tuple[str, ...] = ("name", "sku", "price_asc", "price_desc")

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
    # Issue 16 (catalogue): category, stock on hand (None: not tracked), working days to
    # deliver when none is in stock, a picture.
    category: str = ""
    stock: int | None = None
    lead_days: int | None = None
    image_url: str | None = None


@dataclass(frozen=True)
class ErpPrice:
    """A price agreed with one customer for one product, overriding the list price on the
    days it is valid (either end open, both inclusive) from ``min_quantity`` pieces on (a
    quantity break when more than 1). How the rows combine: :mod:`customer_center.domain.prices`.
    """

    sku: str
    customer_number: str
    price: Decimal
    currency: str
    valid_from: date | None = None
    valid_to: date | None = None
    min_quantity: int = 1

    @property
    def term(self) -> ContractTerm:
        return ContractTerm(
            self.price, self.currency, self.valid_from, self.valid_to, self.min_quantity
        )


@dataclass(frozen=True)
class ErpProductOffer:
    """A product with the price this customer pays for a quantity on a day (``quote``): a
    contract price or quantity break where one applies, else the list price."""

    product: ErpProduct
    quote: PriceQuote

    @property
    def price(self) -> Decimal:
        return self.quote.amount

    @property
    def currency(self) -> str:
        return self.quote.currency

    @property
    def source(self) -> PriceSource:
        return self.quote.source

    @property
    def is_customer_price(self) -> bool:
        return self.quote.is_contract


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


# --- Issue 20 (the HTTP ERP): contacts from the portal, cached prices -----------------------
# Additive: the portal's users sent to the ERP as contact changes (through the outbox), and
# offers the HTTP client answers from its cache while the ERP is down.

ContactChangeKind = Literal["created", "updated", "deactivated"]
CONTACT_CHANGE_KINDS: tuple[ContactChangeKind, ...] = ("created", "updated", "deactivated")


@dataclass(frozen=True)
class ErpContactChange:
    """A portal user as the ERP's contact: created, renamed or with a new e-mail address
    (``updated``; ``previous_email`` names the old one), or deactivated. The portal is the
    master of its users' names and addresses: the ERP applies the change as sent."""

    change: ContactChangeKind
    customer_number: str
    portal_user_id: int
    name: str
    email: str
    previous_email: str = ""
    language: str = ""
    previous_name: str = ""


@dataclass(frozen=True)
class ErpContactReceipt:
    """The ERP's answer to a contact change: its contact id, and the values the portal's
    change overwrote that the portal had not sent (changed in the ERP meanwhile: a conflict,
    which the portal wins and records in the audit log)."""

    contact_id: str
    overwritten: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CachedOffer(ErpProductOffer):
    """An offer from the portal's price cache, given while the ERP cannot be reached: the
    price as the ERP last said it, ``age_seconds`` ago (pages mark it as such)."""

    age_seconds: int = 0


# --- end of the issue 20 block ----------------------------------------------------------------
# --- Documents and tax rates (issue 16: documents, prices as on an invoice) -------------
# Added in one block: ErpDocument, DocumentFilter, ErpDocumentFile, DOCUMENT_KINDS and the
# ErpClient methods get_vat_rate, list_documents, count_documents, fetch_document.

DocumentKind = Literal[
    "invoice", "delivery_note", "credit_note", "order_confirmation", "certificate"
]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    "invoice",
    "delivery_note",
    "credit_note",
    "order_confirmation",
    "certificate",
)


@dataclass(frozen=True)
class ErpDocument:
    """A document the ERP issued to a customer. ``order_number`` is the ERP's order number
    (``SO-…``) it belongs to, if any; ``sku`` the product a certificate is about."""

    document_number: str
    customer_number: str
    kind: DocumentKind
    issued_on: date
    order_number: str | None
    sku: str | None
    title: str
    currency: str


@dataclass(frozen=True)
class DocumentFilter:
    """Which of a customer's documents to list; every field optional, both days inclusive.
    ``kinds`` empty: every kind. ``also_kinds`` of ``also_orders``: besides, the documents of
    these kinds that belong to one of these ERP orders (a buyer's invoices of their own
    orders); with them, ``kinds`` empty means no other kind."""

    kinds: tuple[DocumentKind, ...] = ()
    issued_from: date | None = None
    issued_to: date | None = None
    order_number: str | None = None
    also_kinds: tuple[DocumentKind, ...] = ()
    also_orders: tuple[str, ...] = ()


@dataclass(frozen=True)
class ErpDocumentFile:
    document: ErpDocument
    filename: str  # e.g. ``INV-2026-000123.pdf``
    media_type: str  # ``application/pdf``
    content: bytes


# --- Credit notes (issue 18: returns and credit requests end in the ERP's credit note) -----


class CreditReason(StrEnum):
    """Why the seller credits the customer: the return reasons and, for a credit request
    without goods, a price difference or a short delivery."""

    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    NOT_NEEDED = "not_needed"
    DEFECTIVE = "defective"
    PRICE_DIFFERENCE = "price_difference"
    SHORT_DELIVERY = "short_delivery"
    OTHER = "other"


CREDIT_REASONS: tuple[str, ...] = tuple(reason.value for reason in CreditReason)


@dataclass(frozen=True)
class ErpCreditLine:
    sku: str
    quantity: int  # >= 1
    unit_net: Decimal  # the net unit price the customer paid (from the portal's order line)


@dataclass(frozen=True)
class ErpCreditRequest:
    """A credit the seller granted, as the ERP receives it: one credit note per
    ``request_number`` (the portal's return or credit request, e.g. ``RMA-000012`` or
    ``CR-000003``), however often it is sent."""

    customer_number: str
    request_number: str  # the idempotency key
    order_number: str  # the portal's PO number
    erp_order_number: str | None  # the ERP's SO number if the order was handed off
    reason: str  # one of :class:`CreditReason`
    currency: str
    lines: tuple[ErpCreditLine, ...]


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
        """One page of the catalogue, filtered by ``search`` (name, SKU, description) and
        ``category`` if given, sorted by ``sort`` (one of :data:`PRODUCT_SORTS`; name by
        default); each priced for one piece on ``day`` (default: today in the portal's time
        zone)."""
        ...

    def count_products(
        self, customer_number: str, search: str = "", *, category: str = ""
    ) -> int: ...

    def list_categories(self, customer_number: str) -> list[str]:
        """The catalogue's categories, by name (issue 16)."""
        ...

    def get_offers(
        self,
        customer_number: str,
        skus: Sequence[str],
        *,
        quantities: Mapping[str, int] | None = None,
        day: date | None = None,
    ) -> dict[str, ErpProductOffer]:
        """The offers for ``skus`` keyed by canonical SKU (stripped, upper case); unknown SKUs
        are left out, so the caller can name them.

        Each is priced for the quantity in ``quantities`` (keyed by canonical SKU; 1 when not
        given) on ``day`` (default: today in the portal's time zone), so a quantity break
        applies. Always the given customer's prices: the caller names the customer whose
        context counts (an agent checking a price passes the customer's number).
        """
        ...

    def list_contract_prices(self, customer_number: str, sku: str) -> list[ErpPrice]:
        """Every contract price row of the customer for the product, past, present and
        future, by minimum quantity and start of validity; ``[]`` for none or an unknown SKU."""
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

    # --- contacts from the portal (issue 20) ---
    def apply_contact_change(self, change: ErpContactChange, message_id: str) -> ErpContactReceipt:
        """Apply a portal user's change to the ERP's contacts (the portal wins).

        Idempotent by ``message_id`` (the change sets values, so applying it twice is the same).
        """

    # --- Documents and tax rates (issue 16) --------------------------------------------

    def get_vat_rate(self, customer_number: str) -> Decimal | None:
        """The VAT rate in percent the ERP charges the customer (``Decimal("19.00")``);
        ``None`` for an unknown customer."""
        ...

    def list_documents(
        self,
        customer_number: str,
        document_filter: DocumentFilter,
        offset: int = 0,
        limit: int = 50,
    ) -> list[ErpDocument]:
        """One page of the customer's documents matching the filter, newest first."""
        ...

    def count_documents(
        self, customer_number: str, document_filter: DocumentFilter, *, up_to: int | None = None
    ) -> int:
        """How many documents match; with ``up_to``, counting stops there (a company with
        100,000 documents is not counted to the end for a pager)."""
        ...

    def fetch_document(self, customer_number: str, document_number: str) -> ErpDocumentFile | None:
        """The document as a file, only if it is this customer's; ``None`` otherwise (another
        customer's document is not told apart from one that does not exist)."""
        ...

    # --- Credit notes (issue 18) ----------------------------------------------------------

    def request_credit_note(self, request: ErpCreditRequest, message_id: str) -> str:
        """Issue (or find, when request_number was seen before) the credit note; returns its
        document number. Idempotent by ``request.request_number``: a repeat creates nothing
        and answers the first number. Raises ``ValueError`` for a request the ERP refuses
        (an unknown customer, no lines, a quantity below 1, an unknown reason)."""
        ...
