"""POST /erp/price-changes: the ERP says a customer's prices changed (docs/erp-api.md).

The same bearer token as the order status updates (``CC_ERP_STATUS_TOKEN``). The body is
``{"customers": ["10001", ...]}`` (whose contract prices changed) or ``{"all": true}`` (list
prices, or too many to name). The portal's price caches drop those prices in every worker
(through Redis when configured); the next page asks the ERP. Answers 200 with what was
dropped, 400 for another body, 503 when Redis cannot be reached (send it again).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from customer_center.http.bodies import MAX_BODY_BYTES, read_body
from customer_center.http.erp_status import _authorized, _problem
from customer_center.integrations.erp.http.price_invalidation import generations_for
from customer_center.integrations.erp.tables import canonical_key
from customer_center.settings import get_settings

PATH = "/erp/price-changes"
MAX_CUSTOMERS = 1000
KEY_MAX = 64


def _customers_of(body: Any) -> list[str | None] | None:
    """``[None]`` for every customer, the canonical numbers, or ``None`` for a bad body."""
    if not isinstance(body, dict):
        return None
    if body.get("all") is True and "customers" not in body:
        return [None]
    given = body.get("customers")
    if not isinstance(given, list) or not 1 <= len(given) <= MAX_CUSTOMERS:
        return None
    if not all(isinstance(c, str) and 0 < len(c.strip()) <= KEY_MAX for c in given):
        return None
    return list(dict.fromkeys(canonical_key(c) for c in given))


def _announce(redis_url: str, customers: list[str | None]) -> None:
    generations = generations_for(redis_url)
    for customer in customers:
        generations.bump(customer)


async def price_changes(request: Request) -> Response:
    settings = get_settings()
    if not settings.erp_status_token:
        return _problem(503, "price changes are not enabled: CC_ERP_STATUS_TOKEN is not set")
    if not _authorized(request.headers.get("authorization", ""), settings.erp_status_token):
        return _problem(401, "missing or wrong bearer token", **{"WWW-Authenticate": "Bearer"})
    data = await read_body(request)
    if data is None:
        return _problem(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        customers = _customers_of(json.loads(data))
    except (UnicodeDecodeError, json.JSONDecodeError):
        customers = None
    if customers is None:
        return _problem(
            400, f'expected JSON {{"customers": [1 to {MAX_CUSTOMERS} numbers]}} or {{"all": true}}'
        )
    try:
        await asyncio.to_thread(_announce, settings.redis_url, customers)
    except Exception:  # Redis down: the ERP sends it again
        return _problem(503, "the price caches cannot be reached right now, try again")
    dropped: dict[str, Any] = {"all": True} if customers == [None] else {"customers": customers}
    return JSONResponse(dropped, headers={"Cache-Control": "no-store"})


routes = [Route(PATH, price_changes, methods=["POST"], name="erp-price-changes")]
