"""Price caches are told when prices change (issue 20): the ERP's push to
``POST /erp/price-changes`` and ``customer-center erp import`` drop a customer's cached
prices (or everyone's) in every worker, through Redis when configured, else in the process;
a price asked for before the change and stored after it is not kept."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import redis
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customer_center import cli
from customer_center.domain.prices import PriceQuote, PriceSource
from customer_center.http import erp_prices
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.http import price_invalidation
from customer_center.integrations.erp.http.price_cache import PriceCache, PriceKey
from customer_center.integrations.erp.http.price_invalidation import (
    PREFIX,
    LocalGenerations,
    RedisGenerations,
)
from customer_center.integrations.erp.protocol import ErpProduct, ErpProductOffer
from customer_center.integrations.erp.tables import ErpPriceRow
from customer_center.settings import get_settings
from tests.erp_service import http_erp, reference_erp
from tests.live_server import free_port

# A Redis database of its own (make unit gives each of its two passes one: 8 and 9).
REDIS_URL = os.environ.get("CC_PRICE_CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
TOKEN = "erp-price-test-token-" + "p" * 20  # noqa: S105
DAY = date(2026, 5, 4)
MUELLER, ACME = "10001", "10002"


def offer(sku: str, amount: str) -> ErpProductOffer:
    product = ErpProduct(sku, sku, "", "pc", Decimal(amount), "EUR", None)
    return ErpProductOffer(product, PriceQuote(Decimal(amount), "EUR", PriceSource.LIST))


def key(sku: str) -> PriceKey:
    return (DAY, sku, 1)


def filled(cache: PriceCache) -> PriceCache:
    for customer in (MUELLER, ACME):
        cache.fresh(customer, [key("A-1")])  # a lookup first, as the client does
        cache.store(customer, {key("A-1"): offer("A-1", "7.45")})
    return cache


def cached(cache: PriceCache, customer: str) -> bool:
    hits, _ = cache.fresh(customer, [key("A-1")])
    return bool(hits)


@pytest.fixture
def shared_redis() -> Iterator[str]:
    connection = redis.Redis.from_url(REDIS_URL)
    for name in connection.scan_iter(f"{PREFIX}*"):
        connection.delete(name)
    yield REDIS_URL
    for name in connection.scan_iter(f"{PREFIX}*"):
        connection.delete(name)


def test_in_one_process_an_invalidation_drops_that_customers_prices_only() -> None:
    generations = LocalGenerations()
    first = filled(PriceCache(60, generations=generations))
    second = filled(PriceCache(60, generations=generations))  # another client, same process
    first.invalidate(MUELLER)
    assert not cached(second, MUELLER) and cached(second, ACME)
    assert not cached(first, MUELLER) and cached(first, ACME)
    first.invalidate(None)
    assert not cached(second, ACME)


def test_through_redis_every_worker_drops_the_prices(shared_redis: str) -> None:
    # Two workers: each its own cache and its own connection to Redis.
    one = filled(PriceCache(60, generations=RedisGenerations(shared_redis)))
    two = filled(PriceCache(60, generations=RedisGenerations(shared_redis)))
    one.invalidate(ACME)
    assert cached(two, MUELLER) and not cached(two, ACME)
    RedisGenerations(shared_redis).bump(None)  # e.g. the import, in a process of its own
    assert not cached(one, MUELLER) and not cached(two, MUELLER)


def test_a_price_asked_before_a_change_and_stored_after_it_is_not_kept() -> None:
    generations = LocalGenerations()
    cache = filled(PriceCache(60, generations=generations))
    _, missing = cache.fresh(MUELLER, [key("B-2")])  # the client asks the ERP for B-2 ...
    generations.bump(MUELLER)  # ... the ERP announces new prices meanwhile ...
    cache.store(MUELLER, {k: offer("B-2", "9.99") for k in missing})  # ... the old answer
    hits, _ = cache.fresh(MUELLER, [key("B-2")])
    assert hits == {}


def test_redis_not_answering_keeps_the_cache_working() -> None:
    silent = RedisGenerations(f"redis://127.0.0.1:{free_port()}/0")
    cache = filled(PriceCache(60, generations=silent))
    assert cached(cache, MUELLER)  # the last generations read are kept
    with pytest.raises(redis.RedisError):
        silent.bump(MUELLER)  # the endpoint answers 503, the ERP sends it again


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch, shared_redis: str) -> TestClient:
    settings = dataclasses.replace(get_settings(), erp_status_token=TOKEN, redis_url=shared_redis)
    monkeypatch.setattr(erp_prices, "get_settings", lambda: settings)
    return TestClient(Starlette(routes=erp_prices.routes))


def test_the_erps_push_drops_the_named_customers_prices_in_every_worker(
    endpoint: TestClient, shared_redis: str
) -> None:
    worker = filled(PriceCache(60, generations=price_invalidation.generations_for(shared_redis)))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answer = endpoint.post("/erp/price-changes", json={"customers": [" 10002 "]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"customers": [ACME]}
    assert cached(worker, MUELLER) and not cached(worker, ACME)
    answer = endpoint.post("/erp/price-changes", json={"all": True}, headers=auth)
    assert answer.status_code == 200 and not cached(worker, MUELLER)


@pytest.mark.parametrize(
    ("body", "token", "status"),
    [
        ({"customers": ["10001"]}, "wrong", 401),
        ({"customers": []}, TOKEN, 400),
        ({"customers": [10001]}, TOKEN, 400),
        ({"customers": ["x" * 65]}, TOKEN, 400),
        ({"all": "yes"}, TOKEN, 400),
        (["10001"], TOKEN, 400),
    ],
)
def test_the_push_refuses_what_it_cannot_read(
    endpoint: TestClient, body: object, token: str, status: int
) -> None:
    answer = endpoint.post(
        "/erp/price-changes", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == status and answer.json()["error"]


def test_over_http_the_next_page_after_the_push_has_the_new_price(
    db: Engine, endpoint: TestClient, shared_redis: str
) -> None:
    import_erp_directory(db, demo_data_dir())
    with Session(db) as session:
        row = session.exec(
            select(ErpPriceRow).where(ErpPriceRow.customer_number == MUELLER)
        ).first()
        assert row is not None
        sku = row.sku
    with reference_erp(db) as (_, url):
        client = http_erp(url, ttl=3600)
        client.prices = PriceCache(
            3600, generations=price_invalidation.generations_for(shared_redis)
        )
        before = client.get_offers(MUELLER, [sku])[sku].price
        with Session(db) as session:
            for price in session.exec(select(ErpPriceRow).where(ErpPriceRow.sku == sku)):
                price.price = price.price + Decimal("1.00")
                session.add(price)
            session.commit()
        assert client.get_offers(MUELLER, [sku])[sku].price == before  # cached, as designed
        auth = {"Authorization": f"Bearer {TOKEN}"}
        pushed = endpoint.post("/erp/price-changes", json={"customers": [MUELLER]}, headers=auth)
        assert pushed.status_code == 200
        assert client.get_offers(MUELLER, [sku])[sku].price == before + Decimal("1.00")
        client.close()


def test_an_import_of_prices_or_products_drops_every_cached_price(
    monkeypatch: pytest.MonkeyPatch, shared_redis: str
) -> None:
    settings = dataclasses.replace(get_settings(), redis_url=shared_redis)
    monkeypatch.setattr("customer_center.settings.get_settings", lambda: settings)
    worker = filled(PriceCache(60, generations=RedisGenerations(shared_redis)))
    cli._announce_price_changes({"contacts.csv": 3})
    assert cached(worker, MUELLER)  # no prices imported: nothing dropped
    cli._announce_price_changes({"prices.csv": 12})
    assert not cached(worker, MUELLER) and not cached(worker, ACME)
