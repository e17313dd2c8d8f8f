"""The reference ERP service on a loopback port, and the portal's HTTP client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy.engine import Engine

from customer_center.integrations.erp.http.client import HttpErpClient
from customer_center.integrations.erp.http.price_cache import PriceCache
from customer_center.integrations.erp.http.reference_service import ReferenceErp
from customer_center.integrations.erp.http.transport import (
    CircuitBreaker,
    ErpHttp,
    build_http_client,
)
from tests.live_server import live_server

TOKEN = "reference-erp-test-token-0123456789"  # noqa: S105


@contextmanager
def reference_erp(
    engine: Engine, service: ReferenceErp | None = None, port: int | None = None
) -> Iterator[tuple[ReferenceErp, str]]:
    """The service (its ``delay`` may be set while it runs) and its base address."""
    service = service or ReferenceErp(engine, token=TOKEN)
    with live_server(service.app.routes, port=port) as url:
        yield service, url


def http_erp(
    url: str,
    *,
    timeout: float = 2.0,
    token: str = TOKEN,
    ttl: float = 60.0,
    breaker: CircuitBreaker | None = None,
    transport: httpx.BaseTransport | None = None,
    **credentials: Any,
) -> HttpErpClient:
    client = build_http_client(
        url, timeout=timeout, token=token, transport=transport, **credentials
    )
    http = ErpHttp(client, timeout=timeout, breaker=breaker, backoff=0.01)
    return HttpErpClient(http, PriceCache(ttl))
