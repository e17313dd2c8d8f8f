"""POST /erp/order-status: the ERP reports the journey of orders (docs/erp-status-updates.md).

Authenticated by ``Authorization: Bearer <CC_ERP_STATUS_TOKEN>``, compared in constant time;
without a configured token the endpoint is closed (503). The body is JSON: one update, a list
of updates, or ``{"updates": [...]}``. Each update is applied in its own transaction in a
worker thread; the answer lists one outcome per update in the order sent:

- 200 when every update was applied, recorded or a duplicate;
- 422 when at least one was rejected (the others still count; see ``errors`` per update);
- 400 for a body that is not such JSON, 401 for a missing or wrong token, 413 when too large.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from customer_center.db import get_engine
from customer_center.http.bodies import MAX_BODY_BYTES, read_body
from customer_center.presenters.erp_updates import outcome_json
from customer_center.services.orders.erp_status import MAX_UPDATES, REJECTED, apply_updates
from customer_center.settings import get_settings

log = logging.getLogger(__name__)

PATH = "/erp/order-status"


def _authorized(header: str, token: str) -> bool:
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return False
    return hmac.compare_digest(presented.strip().encode(), token.encode())


def _problem(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers or None)


def _updates_of(body: Any) -> list[Any] | None:
    if isinstance(body, dict) and "updates" in body:
        body = body["updates"]
    elif isinstance(body, dict):
        body = [body]
    return body if isinstance(body, list) else None


async def order_status(request: Request) -> Response:
    settings = get_settings()
    if not settings.erp_status_token:
        return _problem(503, "status updates are not enabled: CC_ERP_STATUS_TOKEN is not set")
    if not _authorized(request.headers.get("authorization", ""), settings.erp_status_token):
        log.warning("refused ERP status update: bad token")
        return _problem(401, "missing or wrong bearer token", **{"WWW-Authenticate": "Bearer"})
    data = await read_body(request)
    if data is None:
        return _problem(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        updates = _updates_of(json.loads(data))
    except (UnicodeDecodeError, json.JSONDecodeError):
        updates = None
    if updates is None:
        return _problem(400, 'expected JSON: an update, a list of updates or {"updates": [...]}')
    if not updates or len(updates) > MAX_UPDATES:
        return _problem(400, f"send between 1 and {MAX_UPDATES} updates per request")
    outcomes = await asyncio.to_thread(apply_updates, get_engine(), settings, updates)
    rejected = sum(outcome.result == REJECTED for outcome in outcomes)
    return JSONResponse(
        {
            "results": [outcome_json(outcome) for outcome in outcomes],
            "rejected": rejected,
        },
        status_code=422 if rejected else 200,
        headers={"Cache-Control": "no-store"},
    )


routes = [Route(PATH, order_status, methods=["POST"], name="erp-order-status")]
