"""CC_ERP=http: the portal's client against the reference ERP service over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.domain.errors import ServiceError
from customer_center.domain.order_states import OrderStatus
from customer_center.domain.prices import PriceSource
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.http.client import HttpErpClient
from customer_center.integrations.erp.http.reference_service import ReferenceErp
from customer_center.integrations.erp.http.transport import CircuitBreaker
from customer_center.integrations.erp.protocol import (
    CachedOffer,
    DocumentFilter,
    ErpUnavailable,
)
from customer_center.integrations.erp.tables import ErpOrderRow
from customer_center.models.base import utcnow
from customer_center.models.order import Order
from customer_center.models.outbox import PENDING, SENT, OutboxMessage
from customer_center.outbox.relay import OutboxRelay
from customer_center.services.identity import activation
from customer_center.services.orders.handoff import (
    ERP_ORDER_PLACED,
    enqueue_handoff,
    handoff_handler,
    order_request,
)
from customer_center.services.orders.ordering import LineRequest, submit_order
from customer_center.services.shop import cart, catalogue, checkout
from customer_center.services.shop.checkout import CheckoutRequest
from customer_center.settings import get_settings
from tests.erp_service import TOKEN, http_erp, reference_erp
from tests.factories import make_company, make_user
from tests.journey_factory import make_order
from tests.live_server import free_port
from tests.order_factories import CHECKOUT

MUELLER = "10001"


@pytest.fixture
def erp_db(db: Engine) -> Engine:
    import_erp_directory(db, demo_data_dir())
    return db


@pytest.fixture
def served(erp_db: Engine) -> Iterator[tuple[ReferenceErp, HttpErpClient]]:
    with reference_erp(erp_db) as (service, url):
        client = http_erp(url)
        yield service, client
        client.close()


def _skus(engine: Engine, count: int = 30) -> list[str]:
    return [o.product.sku for o in EmbeddedErpClient(engine).list_products(MUELLER, "", 0, count)]


def test_every_read_answers_what_the_embedded_erp_answers(erp_db: Engine, served) -> None:
    _, client = served
    embedded = EmbeddedErpClient(erp_db)
    skus = _skus(erp_db)
    day = date(2026, 6, 1)
    quantities = {skus[0]: 100, skus[1]: 10}
    for ask in (
        lambda erp: erp.get_customer(" 10001 "),
        lambda erp: erp.get_customer("99999"),
        lambda erp: erp.get_invoice("2026-10001-001"),
        lambda erp: erp.get_invoice("nope"),
        lambda erp: erp.list_contacts(MUELLER),
        lambda erp: erp.find_contact(MUELLER, "Anna.Mueller@Mueller-Maschinenbau.EXAMPLE"),
        lambda erp: erp.find_contact(MUELLER, "nobody@example.com"),
        lambda erp: erp.list_addresses(MUELLER),
        lambda erp: erp.list_products(MUELLER, "", 2, 5, day=day),
        lambda erp: erp.list_products(MUELLER, "schraube", 0, 50),
        lambda erp: erp.count_products(MUELLER, ""),
        lambda erp: erp.get_offers(MUELLER, [*skus, "NO-SUCH"], quantities=quantities, day=day),
        lambda erp: erp.list_contract_prices(MUELLER, skus[0]),
        # issue 16 (more in test_erp_http_documents.py):
        lambda erp: erp.list_categories(MUELLER),
        lambda erp: erp.list_products(MUELLER, "", 0, 5, category="Safety", sort="price_desc"),
        lambda erp: erp.count_products(MUELLER, "", category="Safety"),
        lambda erp: erp.get_vat_rate(MUELLER),
        lambda erp: erp.list_documents(MUELLER, DocumentFilter(kinds=("certificate",))),
        lambda erp: erp.count_documents(MUELLER, DocumentFilter(), up_to=2),
        lambda erp: erp.fetch_document(MUELLER, "CERT-10001-BRG-6205"),
    ):
        assert ask(client) == ask(embedded)
    assert client.get_customer(MUELLER) is not None


def test_a_page_of_prices_is_one_call_and_then_cached(served) -> None:
    service, client = served
    calls: list[str] = []
    original = service.erp.get_offers

    def counting(*args, **kwargs):
        calls.append("offers")
        return original(*args, **kwargs)

    service.erp.get_offers = counting  # type: ignore[method-assign]
    skus = [o.product.sku for o in service.erp.list_products(MUELLER, "", 0, 25)]
    first = client.get_offers(MUELLER, skus)
    again = client.get_offers(MUELLER, skus)
    assert first == again and len(first) == len(skus)
    assert calls == ["offers"]
    client.prices.invalidate(MUELLER)
    client.get_offers(MUELLER, skus)
    assert calls == ["offers", "offers"]


def test_quantity_breaks_and_days_are_priced_by_the_erp(served, erp_db: Engine) -> None:
    _, client = served
    embedded = EmbeddedErpClient(erp_db)
    breaks = [
        sku
        for sku in _skus(erp_db, 50)
        if any(p.min_quantity > 1 for p in embedded.list_contract_prices(MUELLER, sku))
    ]
    assert breaks, "the demo data has quantity breaks"
    sku = breaks[0]
    rows = embedded.list_contract_prices(MUELLER, sku)
    top = max(rows, key=lambda p: p.min_quantity)
    day = top.valid_from or date.today()
    offer = client.get_offers(MUELLER, [sku], quantities={sku: top.min_quantity}, day=day)[sku]
    assert offer.source is PriceSource.QUANTITY_BREAK and offer.price == top.price


def test_a_down_erp_fails_fast_and_shows_cached_prices_marked(erp_db: Engine) -> None:
    port = free_port()
    with reference_erp(erp_db, port=port) as (_, url):
        # A TTL of 0: every cached price is stale at once, so each call asks the ERP.
        client = http_erp(url, ttl=0, breaker=CircuitBreaker(failures=3, cooldown=60))
        skus = _skus(erp_db, 5)
        fresh = client.get_offers(MUELLER, skus)
    # The service is gone: prices come from the cache, marked; anything else fails.
    cached = client.get_offers(MUELLER, skus)
    assert all(isinstance(offer, CachedOffer) for offer in cached.values())
    assert {sku: o.price for sku, o in cached.items()} == {s: o.price for s, o in fresh.items()}
    with pytest.raises(ErpUnavailable):
        client.get_offers(MUELLER, ["SOMETHING-NEW"])
    started = time.monotonic()
    with pytest.raises(ErpUnavailable, match="circuit breaker"):
        client.get_customer(MUELLER)
    assert time.monotonic() - started < 0.05  # the open breaker answers without a call
    client.close()


def test_a_slow_erp_is_given_up_on_within_the_timeout(erp_db: Engine) -> None:
    with reference_erp(erp_db) as (service, url):
        client = http_erp(url, timeout=0.3)
        service.delay = 1.5
        started = time.monotonic()
        with pytest.raises(ErpUnavailable):
            client.get_customer(MUELLER)
        elapsed = time.monotonic() - started
        service.delay = 0
        client.close()
    # One try of 0.3 s (a slow ERP is not asked again), never the service's 1.5 s.
    assert elapsed < 0.9


def test_wrong_credentials_count_as_the_erp_being_unavailable(served) -> None:
    service, _ = served
    with reference_erp(service.erp._engine, service=service) as (_, url):
        client = http_erp(url, token="wrong")
        with pytest.raises(ErpUnavailable):
            client.get_customer(MUELLER)


def test_oauth2_client_credentials_through_authlib(erp_db: Engine) -> None:
    service = ReferenceErp(erp_db, client_id="portal", client_secret="s3cret-for-tests")
    with reference_erp(erp_db, service=service) as (_, url):
        client = http_erp(
            url,
            token="",
            token_url=f"{url}/oauth/token",
            client_id="portal",
            client_secret="s3cret-for-tests",
        )
        customer = client.get_customer(MUELLER)
        assert customer is not None and customer.name == "Müller Maschinenbau GmbH"
        refused = http_erp(
            url, token="", token_url=f"{url}/oauth/token", client_id="portal", client_secret="x"
        )
        with pytest.raises(ErpUnavailable):
            refused.get_customer(MUELLER)


def _activation_request() -> activation.ActivationRequest:
    return activation.ActivationRequest(
        customer_number=MUELLER,
        invoice_number="2026-10001-001",
        email="anna.mueller@mueller-maschinenbau.example",
        ip_address="10.0.0.1",
        language="en",
    )


def test_activation_works_over_http_and_says_try_again_while_the_erp_is_down(
    erp_db: Engine, session: Session
) -> None:
    port = free_port()
    with reference_erp(erp_db, port=port) as (_, url):
        client = http_erp(url)
        activation.request_activation(session, client, get_settings(), _activation_request())
        session.rollback()  # only the ERP's answer matters here
    with pytest.raises(ServiceError) as refused:
        activation.request_activation(session, client, get_settings(), _activation_request())
    assert refused.value.code == activation.ERP_UNAVAILABLE


def test_the_catalogue_shows_the_last_known_page_while_the_erp_is_down(
    erp_db: Engine, session: Session
):
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    session.commit()
    actor = main
    port = free_port()
    with reference_erp(erp_db, port=port) as (_, url):
        client = http_erp(url)
        live = catalogue.catalogue_page(session, actor, erp=client, sort="price_desc")
        assert live.total == EmbeddedErpClient(erp_db).count_products(MUELLER)
        assert not live.from_cache and not any(p.is_cached for p in live.products)
    # The service is gone: the page seen before comes from the cache, every price marked.
    cached = catalogue.catalogue_page(session, actor, erp=client, sort="price_desc")
    assert cached.from_cache and all(p.is_cached for p in cached.products)
    assert [(p.sku, p.price) for p in cached.products] == [(p.sku, p.price) for p in live.products]
    assert (cached.total, cached.page_count, cached.categories) == (
        live.total,
        live.page_count,
        live.categories,
    )
    unseen_pages = ({"category": live.categories[0]}, {"search": "bearing"}, {"sort": "sku"})
    for unseen in unseen_pages:
        with pytest.raises(ServiceError) as refused:  # never answered: nothing to show
            catalogue.catalogue_page(session, actor, erp=client, **unseen)  # type: ignore[arg-type]
        assert refused.value.code == catalogue.ERP_UNAVAILABLE
    client.prices.invalidate(MUELLER)  # the ERP said the prices changed: nothing is shown
    with pytest.raises(ServiceError):
        catalogue.catalogue_page(session, actor, erp=client, sort="price_desc")
    client.close()


class Clock:
    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now


def test_a_hand_off_waits_for_a_down_erp_and_arrives_once(erp_db: Engine, session: Session):
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    order = make_order(session, main.company_id, ben.id)  # type: ignore[arg-type]
    enqueue_handoff(session, order)
    session.commit()
    port = free_port()
    client = http_erp(f"http://127.0.0.1:{port}", breaker=CircuitBreaker(cooldown=0))
    clock = Clock()
    relay = OutboxRelay(
        erp_db,
        {ERP_ORDER_PLACED: handoff_handler(client, erp_db)},
        clock=clock,
        retry_forever=frozenset({ERP_ORDER_PLACED}),
    )
    assert relay.run_once() == 0  # nobody listens on the port: the ERP is down
    with Session(erp_db) as check:
        message = check.exec(select(OutboxMessage)).one()
        assert message.status == PENDING and "ErpUnavailable" in message.last_error
        assert check.get(Order, order.id).status == OrderStatus.APPROVED  # type: ignore[union-attr]
    with reference_erp(erp_db, port=port):
        clock.now += timedelta(minutes=5)
        assert relay.run_once() == 1
        clock.now += timedelta(hours=2)
        assert relay.run_once() == 0  # nothing is sent twice
    with Session(erp_db) as check:
        [erp_order] = check.exec(select(ErpOrderRow)).all()
        handed = check.get(Order, order.id)
        assert handed is not None and handed.status == OrderStatus.SENT_TO_ERP
        assert handed.erp_order_number == erp_order.erp_order_number
        assert erp_order.portal_order_id == order.id
        assert check.exec(select(OutboxMessage)).one().status == SENT


def test_a_repeated_hand_off_answers_the_first_number(served, erp_db: Engine, session: Session):
    _, client = served
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    ben = make_user(session, main.company_id, "ben@mueller.example", ["buyer"], name="Ben")
    order = make_order(session, main.company_id, ben.id)  # type: ignore[arg-type]
    session.commit()
    request = order_request(session, order.id, main.company_id)  # type: ignore[arg-type]
    assert request is not None
    first = client.place_order(request, "cc-outbox-7")
    second = client.place_order(request, "cc-outbox-7")
    assert first == second and first.startswith("SO-")
    with Session(erp_db) as check:
        assert len(check.exec(select(ErpOrderRow)).all()) == 1
    assert TOKEN  # the service was called with the bearer token (it refuses others)


def test_the_cart_shows_last_known_prices_and_checkout_waits_while_the_erp_is_down(
    erp_db: Engine, session: Session
) -> None:
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    session.commit()
    skus = _skus(erp_db, 2)
    port = free_port()
    with reference_erp(erp_db, port=port) as (_, url):
        client = http_erp(url, ttl=0)  # every cached price is stale at once
        for sku in skus:
            cart.add_to_cart(session, main, erp=client, sku=sku, quantity=3)
        session.commit()
        live = cart.cart_view(session, main, erp=client)
    assert live.prices_known and not any(line.is_cached for line in live.lines)
    down = cart.cart_view(session, main, erp=client)
    assert down.prices_known and all(line.is_cached for line in down.lines)
    assert [line.unit_price_cents for line in down.lines] == [
        line.unit_price_cents for line in live.lines
    ]
    request = CheckoutRequest(
        delivery_choice="",
        billing_choice="",
        new_delivery={},
        payment_method="invoice",
        shipping_method="standard",
        reference="",
        comment="",
    )
    with pytest.raises(ServiceError) as refused:
        checkout.place_order(session, main, settings=get_settings(), erp=client, request=request)
    assert refused.value.code == checkout.ERP_UNAVAILABLE
    lines = [LineRequest(sku, 3) for sku in skus]
    with pytest.raises(ServiceError) as not_at_old_prices:
        submit_order(
            session, main, settings=get_settings(), lines=lines, checkout=CHECKOUT, erp=client
        )
    assert not_at_old_prices.value.code == "orders.error.erp_unavailable"
    session.rollback()
    assert {item.sku for item in cart.cart_items(session, main)} == set(skus)  # nothing lost
