"""``CC_ERP=http``: the :class:`ErpClient` port over the contract of ``docs/erp-openapi.yaml``.

Reads go out at once (retried, see :mod:`.transport`); prices come from the per-customer
cache where fresh and otherwise in one call for all the SKUs missing. Writes (the hand-off,
the activation notice, contact changes) are called by the outbox relay only, outside any
database transaction, with the outbox message id as ``Idempotency-Key``.

Adding a call is one method here using ``self._http.read``, ``.read_bytes`` (a PDF, as the
documents do) or ``.write``, the JSON mapping in :mod:`.codec`, a route in
:mod:`.reference_service` and the path in the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar, cast
from urllib.parse import quote

from customer_center.domain.portal_time import local_today
from customer_center.integrations.erp.http import codec
from customer_center.integrations.erp.http.price_cache import PageKey, PriceCache, PriceKey
from customer_center.integrations.erp.http.transport import ErpHttp
from customer_center.integrations.erp.protocol import (
    PRODUCT_SORTS,
    CachedOffer,
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
    ErpOrderRequest,
    ErpPrice,
    ErpProductOffer,
    ErpUnavailable,
)
from customer_center.integrations.erp.tables import canonical_key

API = "/v1"
T = TypeVar("T")


def _segment(value: str) -> str:
    """A key as one path segment (a customer number may hold any character)."""
    return quote(canonical_key(value), safe="")


def _customer_path(customer_number: str, *rest: str) -> str:
    return "/".join((API, "customers", _segment(customer_number), *rest))


def _product_params(
    search: str, category: str, offset: int, limit: int, day: date
) -> dict[str, str | int]:
    params: dict[str, str | int] = {
        "offset": max(offset, 0),
        "limit": max(limit, 0),
        "day": day.isoformat(),
    }
    if search.strip():
        params["search"] = search.strip()
    if category:
        params["category"] = category
    return params


class HttpErpClient:
    """:class:`~customer_center.integrations.erp.protocol.ErpClient` over HTTP."""

    def __init__(self, http: ErpHttp, prices: PriceCache) -> None:
        self._http = http
        self.prices = prices

    # --- customers, activation --------------------------------------------------------------

    def get_customer(self, customer_number: str) -> ErpCustomer | None:
        if not customer_number.strip():
            return None
        data = self._http.read("GET", _customer_path(customer_number))
        return codec.customer_of(data) if data else None

    def get_invoice(self, invoice_number: str) -> ErpInvoice | None:
        if not invoice_number.strip():
            return None
        data = self._http.read("GET", f"{API}/invoices/{_segment(invoice_number)}")
        return codec.invoice_of(data) if data else None

    # --- contacts, addresses ----------------------------------------------------------------

    def list_contacts(self, customer_number: str) -> list[ErpContact]:
        data = self._http.read("GET", _customer_path(customer_number, "contacts"))
        return [codec.contact_of(item) for item in (data or {}).get("items", [])]

    def find_contact(self, customer_number: str, email: str) -> ErpContact | None:
        path = _customer_path(customer_number, "contacts")
        data = self._http.read("GET", path, params={"email": email.strip().lower()})
        items = (data or {}).get("items", [])
        return codec.contact_of(items[0]) if items else None

    def list_addresses(self, customer_number: str) -> list[ErpAddress]:
        data = self._http.read("GET", _customer_path(customer_number, "addresses"))
        return [codec.address_of(item) for item in (data or {}).get("items", [])]

    # --- products and prices ----------------------------------------------------------------

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
        """While the ERP is down, the page as it last answered it (for the same day), each
        offer a :class:`CachedOffer`; never seen, :class:`ErpUnavailable`."""
        on = day or local_today()
        customer = canonical_key(customer_number)
        params = _product_params(search, category, offset, limit, on)
        params["sort"] = sort if sort in PRODUCT_SORTS else "name"  # as the embedded ERP
        page: PageKey = ("products", *sorted(params.items()))
        items, age = self._remembered(customer, page, lambda: self._products(customer, params))
        offers = [codec.offer_of(item) for item in items]
        if age is not None:
            return [CachedOffer(o.product, o.quote, age_seconds=age) for o in offers]
        self.prices.store(customer, {(on, o.product.sku, 1): o for o in offers})
        return offers

    def count_products(self, customer_number: str, search: str = "", *, category: str = "") -> int:
        customer = canonical_key(customer_number)
        params = _product_params(search, category, 0, 0, local_today())
        page: PageKey = ("count", search.strip(), category)

        def ask() -> int:
            data = self._http.read("GET", _customer_path(customer, "products"), params=params)
            return int((data or {}).get("total", 0))

        return self._remembered(customer, page, ask)[0]

    def _products(self, customer_number: str, params: dict[str, str | int]) -> list[dict]:
        path = _customer_path(customer_number, "products")
        return list((self._http.read("GET", path, params=params) or {}).get("items", []))

    def list_categories(self, customer_number: str) -> list[str]:
        customer = canonical_key(customer_number)

        def ask() -> list[str]:
            data = self._http.read("GET", _customer_path(customer, "categories"))
            return [str(name) for name in (data or {}).get("items", [])]

        return list(self._remembered(customer, ("categories",), ask)[0])

    def _remembered(
        self, customer: str, page: PageKey, ask: Callable[[], T]
    ) -> tuple[T, int | None]:
        """The ERP's answer (kept for when it is down) and ``None``; while it is down, the
        answer kept last time and its age in seconds (none kept: :class:`ErpUnavailable`)."""
        self.prices.sync(customer)  # before asking (see PriceCache.sync)
        try:
            answer = ask()
        except ErpUnavailable:
            kept = self.prices.recall(customer, page)
            if kept is None:
                raise
            return cast(T, kept[1]), kept[0]
        self.prices.remember(customer, page, answer)
        return answer, None

    def get_offers(
        self,
        customer_number: str,
        skus: Sequence[str],
        *,
        quantities: Mapping[str, int] | None = None,
        day: date | None = None,
    ) -> dict[str, ErpProductOffer]:
        on = day or local_today()
        customer = canonical_key(customer_number)
        amounts = {canonical_key(sku): n for sku, n in (quantities or {}).items()}
        keys = [
            (on, sku, amounts.get(sku, 1))
            for sku in sorted({canonical_key(s) for s in skus if isinstance(s, str)})
        ]
        if not keys:
            return {}
        found, missing = self.prices.fresh(customer, keys)
        if missing:
            try:
                fetched = self._fetch_offers(customer, missing, on)
            except ErpUnavailable:
                stale = self.prices.stale(customer, missing)
                if len(stale) < len(missing):
                    raise
                fetched = dict(stale)  # every price known: show them, marked as cached
            else:
                self.prices.store(customer, fetched)
            found.update(fetched)
        return {key[1]: offer for key, offer in found.items()}

    def _fetch_offers(
        self, customer: str, keys: list[PriceKey], day: date
    ) -> dict[PriceKey, ErpProductOffer]:
        """One call for all of ``keys`` (SKUs the ERP does not know are left out)."""
        body = {
            "skus": [sku for _, sku, _ in keys],
            "quantities": {sku: quantity for _, sku, quantity in keys if quantity != 1},
            "day": day.isoformat(),
        }
        data = self._http.read("POST", _customer_path(customer, "offers"), json=body) or {}
        offers = {offer.product.sku: offer for offer in map(codec.offer_of, data.get("items", []))}
        return {key: offers[key[1]] for key in keys if key[1] in offers}

    def list_contract_prices(self, customer_number: str, sku: str) -> list[ErpPrice]:
        path = _customer_path(customer_number, "contract-prices")
        data = self._http.read("GET", path, params={"sku": canonical_key(sku)})
        return [codec.contract_price_of(item) for item in (data or {}).get("items", [])]

    # --- documents and tax rates (issue 16): reads, like the others ------------------------

    def get_vat_rate(self, customer_number: str) -> Decimal | None:
        if not customer_number.strip():
            return None
        data = self._http.read("GET", _customer_path(customer_number, "vat-rate"))
        return codec.vat_rate_of(data) if data else None

    def list_documents(
        self,
        customer_number: str,
        document_filter: DocumentFilter,
        offset: int = 0,
        limit: int = 50,
    ) -> list[ErpDocument]:
        params = {
            **codec.document_filter_params(document_filter),
            "offset": max(offset, 0),
            "limit": max(limit, 0),
        }
        path = _customer_path(customer_number, "documents")
        data = self._http.read("GET", path, params=params)
        return [codec.document_of(item) for item in (data or {}).get("items", [])]

    def count_documents(
        self, customer_number: str, document_filter: DocumentFilter, *, up_to: int | None = None
    ) -> int:
        params: dict[str, str | int | list[str]] = {**codec.document_filter_params(document_filter)}
        if up_to is not None:
            params["up_to"] = max(up_to, 0)
        path = _customer_path(customer_number, "document-count")
        data = self._http.read("GET", path, params=params)
        return int((data or {}).get("count", 0))

    def fetch_document(self, customer_number: str, document_number: str) -> ErpDocumentFile | None:
        """Two reads: the document's data, then its PDF; the ERP answers 404 to both for a
        document of another customer."""
        if not customer_number.strip() or not document_number.strip():
            return None
        path = _customer_path(customer_number, "documents", _segment(document_number))
        data = self._http.read("GET", path)
        if not data:
            return None
        content = self._http.read_bytes(f"{path}/pdf")
        if content is None:
            return None
        document = codec.document_of(data)
        return ErpDocumentFile(
            document=document,
            filename=f"{document.document_number}.pdf",
            media_type="application/pdf",
            content=content,
        )

    # --- writes (called by the outbox relay) ------------------------------------------------

    def notify_company_activated(
        self, customer_number: str, main_contact_email: str, message_id: str
    ) -> None:
        body = {"customer_number": customer_number, "main_contact_email": main_contact_email}
        self._http.write(f"{API}/activations", body, idempotency_key=message_id)

    def place_order(self, order: ErpOrderRequest, message_id: str) -> str:
        answer = self._http.write(
            f"{API}/orders", codec.order_json(order), idempotency_key=message_id
        )
        return str(answer["erp_order_number"])

    def apply_contact_change(self, change: ErpContactChange, message_id: str) -> ErpContactReceipt:
        body = codec.contact_change_json(change)
        answer = self._http.write(f"{API}/contact-changes", body, idempotency_key=message_id)
        return codec.contact_receipt_of(answer)

    def request_credit_note(self, request: ErpCreditRequest, message_id: str) -> str:
        """The request number is the idempotency key (the ERP books one credit note per
        return or credit request, whichever outbox message carries it); ``message_id``
        only names the delivery in the portal's logs."""
        path = _customer_path(request.customer_number, "credit-notes")
        body = codec.credit_request_json(request)
        answer = self._http.write(path, body, idempotency_key=request.request_number.strip())
        return codec.credit_note_of(answer)

    def close(self) -> None:
        self._http.close()
