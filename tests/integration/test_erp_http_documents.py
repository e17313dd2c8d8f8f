"""CC_ERP=http, the calls of issue 16: documents, VAT rates, categories and sorted or filtered
catalogue pages answer over real HTTP what the embedded ERP answers; documents are reads
(timeouts, retries, circuit breaker) and only ever the customer's own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from customer_center.domain.errors import ServiceError
from customer_center.integrations.erp.csv_import import import_erp_directory
from customer_center.integrations.erp.demo import demo_data_dir
from customer_center.integrations.erp.embedded import EmbeddedErpClient
from customer_center.integrations.erp.http.client import HttpErpClient
from customer_center.integrations.erp.http.transport import CircuitBreaker
from customer_center.integrations.erp.protocol import (
    PRODUCT_SORTS,
    DocumentFilter,
    ErpUnavailable,
)
from customer_center.services.documents import documents
from customer_center.services.shop.catalogue import ERP_UNAVAILABLE
from tests.document_factories import order_in_erp
from tests.erp_service import http_erp, reference_erp
from tests.factories import make_company
from tests.live_server import free_port

MUELLER = "10001"


@pytest.fixture
def erp_db(db: Engine) -> Engine:
    import_erp_directory(db, demo_data_dir())
    return db


@pytest.fixture
def client(erp_db: Engine) -> Iterator[HttpErpClient]:
    with reference_erp(erp_db) as (_, url):
        client = http_erp(url)
        yield client
        client.close()


def test_documents_and_vat_rates_answer_what_the_embedded_erp_answers(
    erp_db: Engine, client: HttpErpClient, session: Session
) -> None:
    embedded = EmbeddedErpClient(erp_db)
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    _, number = order_in_erp(session, erp_db, main, {"BRG-6205-2RS": 3, "GLV-CUT5-9": 2})
    everything = embedded.list_documents(MUELLER, DocumentFilter())
    assert len(everything) == 7  # three certificates and the order's four documents
    of_order = DocumentFilter(kinds=("invoice", "credit_note"), order_number=number.lower())
    spring = DocumentFilter(issued_from=date(2026, 4, 1), issued_to=date(2026, 4, 30))
    asks = [
        lambda erp: erp.list_documents(MUELLER, DocumentFilter()),
        lambda erp: erp.list_documents(MUELLER, DocumentFilter(), 2, 3),
        lambda erp: erp.list_documents(MUELLER, of_order),
        lambda erp: erp.list_documents(MUELLER, spring),
        lambda erp: erp.list_documents("10002", DocumentFilter()),
        lambda erp: erp.count_documents(MUELLER, DocumentFilter()),
        lambda erp: erp.count_documents(MUELLER, DocumentFilter(), up_to=5),
        lambda erp: erp.count_documents(MUELLER, of_order, up_to=50),
        lambda erp: erp.fetch_document("10002", everything[0].document_number),  # not its own
        lambda erp: erp.fetch_document(MUELLER, "NO-SUCH-DOC"),
        lambda erp: erp.get_vat_rate(MUELLER),
        lambda erp: erp.get_vat_rate(" 10002 "),  # 0.00: no VAT charged, not "unknown"
        lambda erp: erp.get_vat_rate("99999"),
    ]
    # A buyer's list: the non-financial kinds, and the invoices of their own orders.
    own = DocumentFilter(
        kinds=("delivery_note",), also_kinds=("invoice",), also_orders=(number.lower(), "SO-X")
    )
    asks += [
        lambda erp: [(d.kind, d.order_number) for d in erp.list_documents(MUELLER, own)],
        lambda erp: erp.count_documents(MUELLER, own, up_to=50),
    ]
    asks += [
        lambda erp, doc=doc: erp.fetch_document(MUELLER, doc.document_number.lower())
        for doc in everything
    ]
    answers = [ask(client) for ask in asks]
    assert answers == [ask(embedded) for ask in asks]
    assert answers[5:8] == [7, 5, 2] and answers[8] is None and answers[9] is None
    assert answers[10:13] == [Decimal("19.00"), Decimal("0.00"), None]
    assert sorted(answers[13]) == [("delivery_note", number), ("invoice", number)]
    assert answers[14] == 2
    files = answers[15:]
    assert [f.document for f in files] == everything  # the bytes too: compared above
    assert all(f.content.startswith(b"%PDF") and f.media_type == "application/pdf" for f in files)
    assert {f.filename for f in files} == {f"{d.document_number}.pdf" for d in everything}


def test_sorted_and_filtered_catalogue_pages_answer_what_the_embedded_erp_answers(
    erp_db: Engine, client: HttpErpClient
) -> None:
    embedded = EmbeddedErpClient(erp_db)
    categories = client.list_categories(MUELLER)
    assert categories == embedded.list_categories(MUELLER) and len(categories) > 1
    day = date(2026, 6, 1)
    for category in ("", *categories[:3]):
        for sort in (*PRODUCT_SORTS, "no-such-sort"):  # an unknown sort is by name
            page = client.list_products(MUELLER, "", 1, 4, day=day, category=category, sort=sort)
            assert page == embedded.list_products(
                MUELLER, "", 1, 4, day=day, category=category, sort=sort
            )
            assert all(o.product.category == category for o in page if category)
        count = client.count_products(MUELLER, "", category=category)
        assert count == embedded.count_products(MUELLER, "", category=category)
    cheapest_first = client.list_products(MUELLER, "", 0, 200, sort="price_asc")
    prices = [o.product.list_price for o in cheapest_first]
    assert prices == sorted(prices) and prices[0] < prices[-1]
    products = [o.product for o in cheapest_first]
    assert any(p.stock is not None and p.image_url and p.category for p in products)
    assert any(p.lead_days is not None for p in products)


def test_documents_are_reads_that_fail_fast_while_the_erp_is_down(erp_db: Engine) -> None:
    with reference_erp(erp_db, port=free_port()) as (_, url):
        client = http_erp(url, breaker=CircuitBreaker(failures=3, cooldown=60))
        document = client.list_documents(MUELLER, DocumentFilter(), 0, 1)[0]
        assert client.fetch_document(MUELLER, document.document_number) is not None
    for ask in (
        lambda: client.fetch_document(MUELLER, document.document_number),
        lambda: client.count_documents(MUELLER, DocumentFilter(), up_to=10),
        lambda: client.get_vat_rate(MUELLER),
    ):
        with pytest.raises(ErpUnavailable):  # never "no such document"
            ask()
    started = time.monotonic()
    with pytest.raises(ErpUnavailable, match="circuit breaker"):
        client.list_documents(MUELLER, DocumentFilter())
    assert time.monotonic() - started < 0.05  # the open breaker answers without a call
    client.close()


def test_a_slow_erp_is_given_up_on_for_a_document_within_the_timeout(erp_db: Engine) -> None:
    with reference_erp(erp_db) as (service, url):
        client = http_erp(url, timeout=0.3)
        service.delay = 1.5
        started = time.monotonic()
        with pytest.raises(ErpUnavailable):
            client.fetch_document(MUELLER, "CERT-10001-BRG-6205")
        elapsed = time.monotonic() - started
        service.delay = 0
        client.close()
    assert elapsed < 0.9  # one try of 0.3 s, never the service's 1.5 s


def test_the_documents_page_and_a_download_over_http_and_while_the_erp_is_down(
    erp_db: Engine, session: Session
) -> None:
    main = make_company(session, MUELLER, "Müller Maschinenbau GmbH")
    other = make_company(session, "10002", "Acme Industrial Supply Ltd")
    session.commit()
    with reference_erp(erp_db, port=free_port()) as (_, url):
        client = http_erp(url)
        page = documents.list_documents(
            session, main, erp=client, query=documents.DocumentQuery(kind="certificate")
        )
        assert page.erp_reachable and page.total == 3 and len(page.rows) == 3
        number = page.rows[0].number
        found = documents.fetch_document(session, main, erp=client, number=number)
        assert found.content.startswith(b"%PDF")
        with pytest.raises(ServiceError) as refused:  # another company's document
            documents.fetch_document(session, other, erp=client, number=number)
        assert refused.value.code == documents.REFUSED
    with pytest.raises(ServiceError) as down:
        documents.fetch_document(session, main, erp=client, number=number)
    assert down.value.code == ERP_UNAVAILABLE  # "try again", never "not yours"
    page = documents.list_documents(session, main, erp=client, query=documents.DocumentQuery())
    assert not page.erp_reachable and page.rows == []
    client.close()
