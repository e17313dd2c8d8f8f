"""Prices at scale over CC_ERP=http: a page of 25 prices against the reference ERP service.

    .venv/bin/python -m bench.erp_prices       # SQLite in a temporary folder

The reference service (``customer-center erp serve``) runs on a loopback port with 500
products and contract prices for one customer; the portal's HTTP client asks it. Measures a
page of 25 prices with a cold cache (one HTTP call each time), with a warm cache (the
target: p95 < 50 ms), one catalogue page of 25, and the whole cart of 25 lines as its page
computes it (cart, budget situation and prices) with a warm cache.
"""

from __future__ import annotations

import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="cc-bench-erp-"))
os.environ["CC_DATA_DIR"] = str(_tmp)
os.environ["CC_DATABASE_URL"] = f"sqlite:///{_tmp / 'bench.db'}"
os.environ.setdefault("CC_PASSWORD_HASHING", "fast")

from sqlmodel import Session  # noqa: E402

from bench import results  # noqa: E402
from customer_center.db import get_engine  # noqa: E402
from customer_center.integrations.erp.http.client import HttpErpClient  # noqa: E402
from customer_center.integrations.erp.http.price_cache import PriceCache  # noqa: E402
from customer_center.integrations.erp.http.reference_service import ReferenceErp  # noqa: E402
from customer_center.integrations.erp.http.transport import (  # noqa: E402
    ErpHttp,
    build_http_client,
)
from customer_center.integrations.erp.tables import (  # noqa: E402
    ErpCustomerRow,
    ErpPriceRow,
    ErpProductRow,
)
from customer_center.services.shop import cart  # noqa: E402
from customer_center.tables import metadata  # noqa: E402
from tests.factories import make_company  # noqa: E402
from tests.live_server import live_server  # noqa: E402

PRODUCTS = 500
PAGE = 25
REPEAT = 200
CUSTOMER = "B-1"
TOKEN = "bench-erp-token-0123456789abcdef"  # noqa: S105


def seed(engine) -> None:  # type: ignore[no-untyped-def]
    metadata.drop_all(engine)
    metadata.create_all(engine)
    with Session(engine) as session:
        session.add(
            ErpCustomerRow(
                customer_number=CUSTOMER,
                name="Bench GmbH",
                allowed=True,
                email_domains="",
                currency="EUR",
                language="de",
                street="",
                postal_code="",
                city="",
                country="DE",
            )
        )
        session.add_all(
            ErpProductRow(
                sku=f"SKU-{n:04d}",
                name=f"Product {n:04d}",
                description="",
                unit="pc",
                list_price=Decimal("10.00") + n,
                currency="EUR",
            )
            for n in range(PRODUCTS)
        )
        session.flush()
        for n in range(0, PRODUCTS, 2):  # half the products: a contract price and a break
            for price, minimum in ((Decimal("9.00") + n, 1), (Decimal("8.00") + n, 10)):
                session.add(
                    ErpPriceRow(
                        sku=f"SKU-{n:04d}",
                        customer_number=CUSTOMER,
                        price=price,
                        currency="EUR",
                        min_quantity=minimum,
                    )
                )
        session.commit()


def timed(action, repeat: int = REPEAT) -> list[float]:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    engine = get_engine()
    seed(engine)
    service = ReferenceErp(engine, token=TOKEN)
    skus = [f"SKU-{n:04d}" for n in range(PAGE)]
    quantities = {sku: 1 + n % 12 for n, sku in enumerate(skus)}
    with live_server(service.app.routes) as url:
        http = ErpHttp(build_http_client(url, timeout=5, token=TOKEN), timeout=5)
        client = HttpErpClient(http, PriceCache(ttl=300))

        def cold() -> None:
            client.prices.invalidate(CUSTOMER)
            client.get_offers(CUSTOMER, skus, quantities=quantities)

        rows = [results.row(f"{PAGE} prices, cold cache (one HTTP call)", timed(cold))]
        client.get_offers(CUSTOMER, skus, quantities=quantities)
        warm = timed(lambda: client.get_offers(CUSTOMER, skus, quantities=quantities))
        rows.append(results.row(f"{PAGE} prices, warm cache", warm, target={"p95_ms": 50.0}))
        page = timed(lambda: client.list_products(CUSTOMER, "", 100, PAGE))
        rows.append(results.row(f"catalogue page of {PAGE} (one HTTP call)", page))
        with Session(engine, expire_on_commit=False) as session:
            actor = make_company(session, CUSTOMER, "Bench GmbH")
            session.commit()
            for sku, amount in quantities.items():
                cart.add_to_cart(session, actor, erp=client, sku=sku, quantity=amount)
            session.commit()
            view = timed(lambda: (cart.cart_view(session, actor, erp=client), session.rollback()))
        rows.append(
            results.row(f"cart page of {PAGE} lines, warm cache", view, target={"p95_ms": 50.0})
        )
        client.close()
    for found in rows:
        print(f"{found['measure']:45} p50 {found['p50_ms']:7.2f}  p95 {found['p95_ms']:7.2f}")
    results.write(
        "erp_prices",
        "Prices over CC_ERP=http against the reference ERP service",
        rows,
        f"{REPEAT} runs each; the reference service (Starlette on uvicorn, SQLite) on a "
        f"loopback port, {PRODUCTS} products, contract prices and quantity breaks for half; "
        "the portal's HTTP client with its per-customer price cache (TTL 300 s).",
    )


if __name__ == "__main__":
    main()
