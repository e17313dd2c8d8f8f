"""The reference ERP service: the contract of ``docs/erp-openapi.yaml`` on the embedded
tables (``customer-center erp serve``), a real counterpart for sellers and tests.

Every route is a thin shell around :class:`EmbeddedErpClient` and :mod:`.codec`; the routes
are plain functions, so Starlette runs them in its thread pool. Authentication: a fixed
bearer token, and/or OAuth2 client credentials at ``POST /oauth/token`` (tokens kept in
memory for an hour). ``delay`` holds every answer (tests of a slow ERP).
"""

from __future__ import annotations

import base64
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.embedded_contacts import UnknownCustomer
from customer_center.integrations.erp.embedded_credit_notes import UnknownCreditCustomer
from customer_center.integrations.erp.http import codec
from customer_center.integrations.erp.protocol import PRODUCT_SORTS, DocumentFilter
from customer_center.integrations.erp.tables import canonical_key

TOKEN_SECONDS = 3600
MAX_PAGE = 200
MAX_SKUS = 200


class ReferenceErp:
    """The service's settings and state; ``app`` is the ASGI application."""

    def __init__(
        self,
        engine: Engine,
        *,
        token: str = "",
        client_id: str = "",
        client_secret: str = "",
        delay: float = 0.0,
    ) -> None:
        self.erp = EmbeddedErpClient(engine)
        self.token, self.client_id, self.client_secret = token, client_id, client_secret
        self.delay = delay
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()
        self.app = Starlette(routes=self._routes())

    def _routes(self) -> list[Route]:
        api = self._api
        return [
            Route("/oauth/token", self._issue_token, methods=["POST"]),
            Route("/v1/customers/{number}", api(self._customer)),
            Route("/v1/invoices/{number}", api(self._invoice)),
            Route("/v1/customers/{number}/contacts", api(self._contacts)),
            Route("/v1/customers/{number}/addresses", api(self._addresses)),
            Route("/v1/customers/{number}/products", api(self._products)),
            Route("/v1/customers/{number}/offers", api(self._offers), methods=["POST"]),
            Route("/v1/customers/{number}/contract-prices", api(self._contract_prices)),
            Route("/v1/customers/{number}/categories", api(self._categories)),
            Route("/v1/customers/{number}/vat-rate", api(self._vat_rate)),
            Route("/v1/customers/{number}/documents", api(self._documents)),
            Route("/v1/customers/{number}/document-count", api(self._document_count)),
            Route("/v1/customers/{number}/documents/{document}", api(self._document)),
            Route("/v1/customers/{number}/documents/{document}/pdf", api(self._document_pdf)),
            Route("/v1/activations", api(self._activation), methods=["POST"]),
            Route("/v1/orders", api(self._order), methods=["POST"]),
            Route("/v1/contact-changes", api(self._contact_change), methods=["POST"]),
            Route("/v1/customers/{number}/credit-notes", api(self._credit_note), methods=["POST"]),
        ]

    # --- plumbing ---------------------------------------------------------------------------

    def _api(self, handler: Callable[[Request, Any], Response]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            if not self._authorized(request):
                return _error(401, "missing or wrong bearer token")
            body = None
            if request.method == "POST":
                try:
                    body = await request.json()
                except ValueError:
                    return _error(400, "the body is not JSON")
                if not isinstance(body, dict):
                    return _error(400, "the body must be a JSON object")
            return await run_in_threadpool(self._answer, handler, request, body)

        return endpoint

    def _answer(
        self, handler: Callable[[Request, Any], Response], request: Request, body: Any
    ) -> Response:
        if self.delay:
            time.sleep(self.delay)
        try:
            return handler(request, body)
        except (KeyError, TypeError, ValueError) as error:
            return _error(400, f"invalid request: {type(error).__name__}: {error}")

    def _authorized(self, request: Request) -> bool:
        if not self.token and not self.client_id:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            return False
        if self.token and hmac.compare_digest(given.encode(), self.token.encode()):
            return True
        with self._lock:
            return self._issued.get(given, 0.0) > time.monotonic()

    async def _issue_token(self, request: Request) -> Response:
        form = await request.form()
        basic = request.headers.get("authorization", "")
        given_id, given_secret = form.get("client_id", ""), form.get("client_secret", "")
        if basic.lower().startswith("basic "):
            decoded = base64.b64decode(basic[6:]).decode()
            given_id, _, given_secret = decoded.partition(":")
        if (
            not self.client_id
            or form.get("grant_type") != "client_credentials"
            or not hmac.compare_digest(str(given_id).encode(), self.client_id.encode())
            or not hmac.compare_digest(str(given_secret).encode(), self.client_secret.encode())
        ):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._issued[token] = time.monotonic() + TOKEN_SECONDS
        return JSONResponse(
            {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS}
        )

    # --- the contract -----------------------------------------------------------------------

    def _customer(self, request: Request, _body: None) -> Response:
        customer = self.erp.get_customer(request.path_params["number"])
        return _found(codec.customer_json(customer) if customer else None, "customer")

    def _invoice(self, request: Request, _body: None) -> Response:
        invoice = self.erp.get_invoice(request.path_params["number"])
        return _found(codec.invoice_json(invoice) if invoice else None, "invoice")

    def _contacts(self, request: Request, _body: None) -> Response:
        number, email = request.path_params["number"], request.query_params.get("email", "")
        if email:
            found = self.erp.find_contact(number, email)
            contacts = [found] if found else []
        else:
            contacts = self.erp.list_contacts(number)
        return _items(codec.contact_json(c) for c in contacts)

    def _addresses(self, request: Request, _body: None) -> Response:
        addresses = self.erp.list_addresses(request.path_params["number"])
        return _items(codec.address_json(a) for a in addresses)

    def _products(self, request: Request, _body: None) -> Response:
        number, query = request.path_params["number"], request.query_params
        search, category = query.get("search", ""), query.get("category", "")
        offset, limit = _page(query)
        sort = query.get("sort", "name")
        if sort not in PRODUCT_SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        day = _day(query.get("day"))
        offers = (
            self.erp.list_products(
                number, search, offset, limit, day=day, category=category, sort=sort
            )
            if limit
            else []
        )
        total = self.erp.count_products(number, search, category=category)
        return JSONResponse(
            {"total": total, "items": [codec.offer_json(offer) for offer in offers]}
        )

    def _categories(self, request: Request, _body: None) -> Response:
        return _items(self.erp.list_categories(request.path_params["number"]))

    def _offers(self, request: Request, body: dict) -> Response:
        skus = body["skus"]
        quantities = body.get("quantities") or {}
        if not isinstance(skus, list) or not all(isinstance(s, str) for s in skus):
            raise ValueError("skus must be a list of strings")
        if len(skus) > MAX_SKUS:
            raise ValueError(f"at most {MAX_SKUS} skus per call")
        if not all(isinstance(n, int) and n >= 1 for n in quantities.values()):
            raise ValueError("quantities must be whole numbers from 1")
        offers = self.erp.get_offers(
            request.path_params["number"], skus, quantities=quantities, day=_day(body.get("day"))
        )
        return _items(codec.offer_json(offer) for offer in offers.values())

    def _contract_prices(self, request: Request, _body: None) -> Response:
        sku = request.query_params["sku"]
        prices = self.erp.list_contract_prices(request.path_params["number"], sku)
        return _items(codec.contract_price_json(p) for p in prices)

    # --- documents and tax rates (issue 16): only the customer's own documents -----------

    def _vat_rate(self, request: Request, _body: None) -> Response:
        number = request.path_params["number"]
        rate = self.erp.get_vat_rate(number)
        data = None if rate is None else codec.vat_rate_json(canonical_key(number), rate)
        return _found(data, "customer")  # 0.00 is a rate (no VAT charged), not "none"

    def _documents(self, request: Request, _body: None) -> Response:
        offset, limit = _page(request.query_params)
        documents = self.erp.list_documents(
            request.path_params["number"], _document_filter(request), offset, limit
        )
        return _items(codec.document_json(d) for d in documents)

    def _document_count(self, request: Request, _body: None) -> Response:
        given = request.query_params.get("up_to")
        up_to = int(given) if given is not None else None
        if up_to is not None and up_to < 0:
            raise ValueError("up_to must not be negative")
        count = self.erp.count_documents(
            request.path_params["number"], _document_filter(request), up_to=up_to
        )
        return JSONResponse({"count": count})

    def _document(self, request: Request, _body: None) -> Response:
        found = self.erp.get_document(
            request.path_params["number"], request.path_params["document"]
        )
        return _found(codec.document_json(found) if found else None, "document")

    def _document_pdf(self, request: Request, _body: None) -> Response:
        found = self.erp.fetch_document(
            request.path_params["number"], request.path_params["document"]
        )
        if found is None:
            return _error(404, "no such document")
        disposition = f'attachment; filename="{found.filename}"'
        return Response(
            found.content,
            media_type=found.media_type,
            headers={"Content-Disposition": disposition},
        )

    def _activation(self, request: Request, body: dict) -> Response:
        key = _idempotency_key(request)
        self.erp.notify_company_activated(
            str(body["customer_number"]), str(body["main_contact_email"]), key
        )
        return JSONResponse({"recorded": True})

    def _order(self, request: Request, body: dict) -> Response:
        number = self.erp.place_order(codec.order_of(body), _idempotency_key(request))
        return JSONResponse({"erp_order_number": number})

    def _contact_change(self, request: Request, body: dict) -> Response:
        change = codec.contact_change_of(body)
        if change.change not in ("created", "updated", "deactivated"):
            raise ValueError(f"unknown change {change.change!r}")
        try:
            receipt = self.erp.apply_contact_change(change, _idempotency_key(request))
        except UnknownCustomer:
            return _error(422, "unknown customer")
        return JSONResponse(codec.contact_receipt_json(receipt))

    def _credit_note(self, request: Request, body: dict) -> Response:
        credit = codec.credit_request_of(body)
        key = _idempotency_key(request)
        if canonical_key(credit.customer_number) != canonical_key(request.path_params["number"]):
            raise ValueError("the body's customer_number is not the path's")
        try:
            number = self.erp.request_credit_note(credit, key)
        except UnknownCreditCustomer:
            return _error(422, "unknown customer")
        return JSONResponse(codec.credit_note_json(number))


def _idempotency_key(request: Request) -> str:
    key = request.headers.get("idempotency-key", "").strip()
    if not key or len(key) > 200:
        raise ValueError("the Idempotency-Key header is required (at most 200 characters)")
    return key


def _page(query: Any) -> tuple[int, int]:
    """``offset`` and ``limit`` (at most :data:`MAX_PAGE`) of a list's query."""
    limit = min(int(query.get("limit", "50")), MAX_PAGE)
    offset = int(query.get("offset", "0"))
    if limit < 0 or offset < 0:
        raise ValueError("offset and limit must not be negative")
    return offset, limit


def _document_filter(request: Request) -> DocumentFilter:
    query = request.query_params
    return codec.document_filter_of(
        query.getlist("kind"), query, query.getlist("also_kind"), query.getlist("also_order")
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _found(data: dict | None, what: str) -> Response:
    return JSONResponse(data) if data else _error(404, f"no such {what}")


def _items(items: Any) -> Response:
    return JSONResponse({"items": list(items)})


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)
