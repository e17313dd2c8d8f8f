"""The HTTP ERP client's resilience parts on their own: breaker, price cache, retries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest

from customer_center.domain.prices import list_quote
from customer_center.integrations.erp.http.price_cache import PriceCache
from customer_center.integrations.erp.http.transport import (
    CircuitBreaker,
    ErpContractError,
    ErpHttp,
)
from customer_center.integrations.erp.protocol import (
    CachedOffer,
    ErpProduct,
    ErpProductOffer,
    ErpUnavailable,
)

DAY = date(2026, 5, 4)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _offer(sku: str, price: str = "1.00") -> ErpProductOffer:
    amount = Decimal(price)
    product = ErpProduct(sku, sku, "", "pc", amount, "EUR", None)
    return ErpProductOffer(product, list_quote(amount, "EUR"))


def test_the_breaker_opens_after_failures_in_a_row_and_lets_one_try_after_the_cooldown():
    clock = Clock()
    breaker = CircuitBreaker(failures=2, cooldown=10, clock=clock)
    breaker.failed()
    breaker.succeeded()  # a success in between starts the count again
    breaker.failed()
    assert breaker.allow() and not breaker.is_open
    breaker.failed()
    assert breaker.is_open and not breaker.allow()
    clock.now += 10
    assert breaker.allow()  # half-open: one caller tries ...
    assert not breaker.allow()  # ... the others still fail fast
    breaker.failed()
    assert not breaker.allow()  # open again for another cooldown
    clock.now += 10
    assert breaker.allow()
    breaker.succeeded()
    assert breaker.allow() and breaker.allow()


def test_the_price_cache_keeps_prices_for_the_ttl_per_customer_and_day_and_quantity():
    clock = Clock()
    cache = PriceCache(ttl=60, clock=clock)
    key, other_quantity = (DAY, "A-1", 1), (DAY, "A-1", 10)
    cache.store("C-1", {key: _offer("A-1")})
    hits, misses = cache.fresh("C-1", [key, other_quantity])
    assert list(hits) == [key] and misses == [other_quantity]
    assert cache.fresh("C-2", [key]) == ({}, [key])  # another customer's prices are not shared
    clock.now += 60
    assert cache.fresh("C-1", [key]) == ({}, [key])
    [stale] = cache.stale("C-1", [key, other_quantity]).values()
    assert isinstance(stale, CachedOffer) and stale.age_seconds == 60
    assert stale.price == Decimal("1.00")
    cache.invalidate("C-1")
    assert cache.stale("C-1", [key]) == {}


def _http(handler, **options) -> tuple[ErpHttp, list[httpx.Request]]:  # type: ignore[no-untyped-def]
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    client = httpx.Client(base_url="http://erp.test", transport=httpx.MockTransport(record))
    return ErpHttp(client, timeout=1, backoff=0, **options), seen


def test_reads_are_retried_on_server_errors_but_writes_are_not() -> None:
    http, seen = _http(lambda request: httpx.Response(503))
    with pytest.raises(ErpUnavailable):
        http.read("GET", "/v1/customers/1")
    assert len(seen) == 3
    http, seen = _http(lambda request: httpx.Response(503))
    with pytest.raises(ErpUnavailable):
        http.write("/v1/orders", {}, idempotency_key="cc-outbox-1")
    assert len(seen) == 1 and seen[0].headers["Idempotency-Key"] == "cc-outbox-1"


def test_a_timeout_is_not_retried() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    http, seen = _http(slow)
    with pytest.raises(ErpUnavailable, match="timeout"):
        http.read("GET", "/v1/customers/1")
    assert len(seen) == 1


def test_not_found_is_none_and_a_contract_break_is_no_outage() -> None:
    http, _ = _http(lambda request: httpx.Response(404, json={"error": "no such customer"}))
    assert http.read("GET", "/v1/customers/1") is None
    http, seen = _http(lambda request: httpx.Response(400, json={"error": "bad"}))
    with pytest.raises(ErpContractError):
        http.read("GET", "/v1/customers/1")
    assert len(seen) == 1 and not http.breaker.is_open
    http, _ = _http(lambda request: httpx.Response(200, text="<html>"))
    with pytest.raises(ErpContractError, match="no JSON"):
        http.read("GET", "/v1/customers/1")


def test_an_open_breaker_answers_without_calling() -> None:
    http, seen = _http(
        lambda request: httpx.Response(500), breaker=CircuitBreaker(failures=2, cooldown=60)
    )
    with pytest.raises(ErpUnavailable):
        http.read("GET", "/v1/customers/1")
    assert len(seen) == 2  # the breaker opened after the second failure: no third try
    with pytest.raises(ErpUnavailable, match="circuit breaker"):
        http.read("GET", "/v1/customers/1")
    assert len(seen) == 2


def test_files_are_read_as_bytes_with_the_same_rules() -> None:
    pdf = b"%PDF-1.7 a document"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/missing.pdf"):
            return httpx.Response(404)
        assert request.headers["Accept"] == "application/pdf"
        return httpx.Response(200, content=pdf, headers={"Content-Type": "application/pdf"})

    http, seen = _http(answer)
    assert http.read_bytes("/v1/documents/INV-1.pdf") == pdf
    assert http.read_bytes("/v1/documents/missing.pdf") is None
    failing, tried = _http(lambda request: httpx.Response(502))
    with pytest.raises(ErpUnavailable):
        failing.read_bytes("/v1/documents/INV-1.pdf")
    assert len(tried) == 3
