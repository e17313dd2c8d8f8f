"""POST /erp/contact-changes: the ERP reports contacts it changed (docs/erp-api.md).

The same bearer token as the order status updates (``CC_ERP_STATUS_TOKEN``). The body is
``{"contacts": [...]}`` (or a list, or one contact); each is compared with the portal's users
(:mod:`customer_center.services.people.erp_contact_inbound`: the portal wins for its users,
the conflict goes to the audit log). All in one transaction in a worker thread; the answer
lists one result per contact in the order sent, 422 if any was rejected.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from customer_center.db import get_engine, session_scope
from customer_center.http.bodies import MAX_BODY_BYTES, read_body
from customer_center.http.erp_status import _authorized, _problem
from customer_center.services.people.erp_contact_inbound import (
    MAX_CHANGES,
    REJECTED,
    inbound_of,
    reconcile_contacts,
)
from customer_center.settings import Settings, get_settings

PATH = "/erp/contact-changes"


def _contacts_of(body: Any) -> list[Any] | None:
    if isinstance(body, dict) and "contacts" in body:
        body = body["contacts"]
    elif isinstance(body, dict):
        body = [body]
    return body if isinstance(body, list) else None


def _apply(settings: Settings, raw: list[Any]) -> list[str]:
    parsed = [inbound_of(item) for item in raw]
    with session_scope(get_engine()) as session:
        valid = reconcile_contacts(
            session, settings=settings, contacts=[c for c in parsed if c is not None]
        )
    found = iter(valid)
    return [REJECTED if contact is None else next(found) for contact in parsed]


def _contact_id(item: Any) -> str | None:
    """The ERP's id of a sent contact, echoed when it is text (never an odd value)."""
    found = item.get("contact_id") if isinstance(item, dict) else None
    return found[:200] if isinstance(found, str) else None


async def contact_changes(request: Request) -> Response:
    settings = get_settings()
    if not settings.erp_status_token:
        return _problem(503, "contact changes are not enabled: CC_ERP_STATUS_TOKEN is not set")
    if not _authorized(request.headers.get("authorization", ""), settings.erp_status_token):
        return _problem(401, "missing or wrong bearer token", **{"WWW-Authenticate": "Bearer"})
    data = await read_body(request)
    if data is None:
        return _problem(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        raw = _contacts_of(json.loads(data))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raw = None
    if not raw or len(raw) > MAX_CHANGES:
        return _problem(400, f'expected JSON {{"contacts": [...]}} with 1 to {MAX_CHANGES}')
    results = await asyncio.to_thread(_apply, settings, raw)
    answer = [
        {"contact_id": _contact_id(item), "result": result}
        for item, result in zip(raw, results, strict=True)
    ]
    rejected = results.count(REJECTED)
    return JSONResponse(
        {"results": answer, "rejected": rejected},
        status_code=422 if rejected else 200,
        headers={"Cache-Control": "no-store"},
    )


routes = [Route(PATH, contact_changes, methods=["POST"], name="erp-contact-changes")]
