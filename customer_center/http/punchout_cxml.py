"""cXML punchout endpoints: ``PunchOutSetupRequest`` (answered with the single-use StartPage)
and the ``OrderRequest`` that follows. Every message is kept raw with our answer; a refusal
answers a cXML Status with the same HTTP status (401 bad credentials, 400 unknown items ...)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from customer_center.auth.tokens import new_token
from customer_center.db import session_scope
from customer_center.domain import punchout_cxml
from customer_center.domain import routes as paths
from customer_center.domain.punchout import MAX_MESSAGE_BYTES, Protocol
from customer_center.domain.punchout_cxml import Credential, CxmlRefused
from customer_center.http.bodies import read_body
from customer_center.models.base import utcnow
from customer_center.services.punchout import arrival, order_request
from customer_center.services.punchout.arrival import Arrival, PunchoutRefused
from customer_center.services.punchout.messages import record_message
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings

XML = "text/xml; charset=utf-8"
_TEXTS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    413: "Request Entity Too Large",
    503: "Service Unavailable",
}


def _answer(status: int, code: str) -> Response:
    text = f"{_TEXTS.get(status, 'Error')}: {code}"
    body = punchout_cxml.status_response(_payload_id(), utcnow(), status, text)
    return Response(body, status_code=status, media_type=XML)


def _payload_id() -> str:
    return f"{new_token()[:24]}@customer-center"


def _credential_args(sender: Credential) -> dict[str, str]:
    return {"domain": sender.domain, "identity": sender.identity, "secret": sender.secret}


def _arrival_of(request: punchout_cxml.SetupRequest, raw: bytes) -> Arrival:
    return Arrival(
        operation=request.operation,
        buyer_cookie=request.buyer_cookie,
        return_url=request.return_url,
        email=request.email,
        name=request.name,
        fields=request.extrinsics,
        raw=raw.decode("utf-8", errors="replace"),
        echo={
            "buyer": [[c.domain, c.identity] for c in request.buyer],
            "supplier": [[c.domain, c.identity] for c in request.supplier],
            "payload_id": request.payload_id,
        },
        items=[(i.sku, i.quantity) for i in request.items],
    )


def _setup(raw: bytes) -> str:
    """One transaction: authenticate, welcome the user, keep the message; the StartPage."""
    settings = get_settings()
    request = punchout_cxml.setup_request(punchout_cxml.parse(raw))
    with session_scope() as session:
        client = arrival.authenticate(
            session, protocol=Protocol.CXML, **_credential_args(request.sender)
        )
        welcome = arrival.welcome(
            session, client, settings=settings, arrival=_arrival_of(request, raw)
        )
        record_message(
            session,
            kind="setup",
            raw=raw,
            company_id=client.company_id,
            connection_id=client.connection_id,
            session_id=welcome.session_id,
        )
    return punchout_cxml.setup_response(request.payload_id, utcnow(), welcome.start_url)


def _order(raw: bytes) -> str:
    settings = get_settings()
    request = punchout_cxml.order_request(punchout_cxml.parse(raw))
    with session_scope() as session:
        client = arrival.authenticate(
            session, protocol=Protocol.CXML, **_credential_args(request.sender)
        )
        taken = order_request.take_order(
            session, client, settings=settings, request=request, erp=erp_client()
        )
        if not taken.repeated:
            record_message(
                session,
                kind="order",
                raw=raw,
                company_id=client.company_id,
                connection_id=client.connection_id,
                session_id=order_request.session_of_order(session, client, order_id=taken.order_id),
            )
    return punchout_cxml.status_response(request.payload_id, utcnow(), 200, "OK")


def _take_order(raw: bytes) -> str:
    """Two identical requests at once: the later one's insert clashes on the unique
    payloadID/orderID; it runs once more and answers with the earlier order."""
    try:
        return _order(raw)
    except IntegrityError:
        return _order(raw)


def _record_refusal(kind: str, raw: bytes, refusal: PunchoutRefused | CxmlRefused) -> None:
    with session_scope() as session:
        record_message(
            session,
            kind=kind,
            raw=raw,
            status=refusal.status,
            error=refusal.code,
            company_id=getattr(refusal, "company_id", None),
            connection_id=getattr(refusal, "connection_id", None),
        )


async def _handle(request: Request, kind: str, work: Callable[[bytes], str]) -> Response:
    raw = await read_body(request, MAX_MESSAGE_BYTES)
    if raw is None:
        return _answer(413, "too_large")
    try:
        body = await asyncio.to_thread(work, raw)
    except (PunchoutRefused, CxmlRefused) as refusal:
        if isinstance(refusal, PunchoutRefused) and refusal.company_id is not None:
            await asyncio.to_thread(_record_refusal, kind, raw, refusal)
        return _answer(refusal.status, refusal.code)
    return Response(body, media_type=XML)


async def setup_endpoint(request: Request) -> Response:
    return await _handle(request, "setup", _setup)


async def order_endpoint(request: Request) -> Response:
    return await _handle(request, "order", _take_order)


routes = [
    Route(paths.PUNCHOUT_CXML, setup_endpoint, methods=["POST"]),
    Route(paths.PUNCHOUT_CXML_ORDER, order_endpoint, methods=["POST"]),
]
