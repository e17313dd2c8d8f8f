"""/scim/v2/...: the company's SCIM 2.0 provisioning endpoint (RFC 7643/7644).

``scim2-server`` speaks the protocol; :class:`PortalStorage` reads and writes the company's
users and roles. Authenticated by ``Authorization: Bearer <token>`` (a token of the
Provisioning page); the token decides the company, so every query is scoped to it and an id
of another company answers 404. Each request runs in a worker thread in one transaction:
all of it or nothing. Errors are SCIM Error responses (application/scim+json).
"""

from __future__ import annotations

import asyncio
import json
import logging
from http import HTTPStatus

from scim2_models import (
    PayloadTooLargeException,
    SCIMException,
    UnauthorizedException,
    UniquenessException,
)
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import ScimResponse
from scim2_server.routing import Operation
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from customer_center.db import get_engine, session_scope
from customer_center.http.bodies import MAX_BODY_BYTES, read_body
from customer_center.http.scim.provider import SERVICE
from customer_center.http.scim.storage import PortalStorage
from customer_center.logs import bind_principal
from customer_center.services.identity import scim_tokens
from customer_center.settings import get_settings

log = logging.getLogger(__name__)

PREFIX = scim_tokens.SCIM_PATH
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _bearer(request: ScimRequest) -> str:
    scheme, _, token = (request.header("Authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _handle(engine: Engine, request: ScimRequest) -> ScimResponse:
    """Authenticate (its own short transaction, so last use is kept even when the operation
    fails), then serve the operation in one transaction, rolled back on any error."""
    if SERVICE.match(request).operation is not Operation.service_provider_config:
        with session_scope(engine) as session:
            actor = scim_tokens.authenticate(session, _bearer(request))
        bind_principal(actor)
        if actor is None:
            raise UnauthorizedException(detail="Missing, unknown or revoked bearer token")
    else:
        actor = None
    try:
        with session_scope(engine) as session:
            storage = PortalStorage(session, actor)  # type: ignore[arg-type]
            return ScimHandler(SERVICE, storage).handle(request)
    except IntegrityError as clash:  # two requests took the same userName at the same moment
        raise UniquenessException(detail="The value was taken meanwhile") from clash


def serve(engine: Engine, request: ScimRequest) -> ScimResponse:
    """The response to one SCIM request; never raises."""
    try:
        response = _handle(engine, request)
    except SCIMException as refusal:
        # Status and type only: a refusal's detail may quote a userName or a filter.
        log.info("SCIM refused: %s %s", refusal.status, refusal.scim_type or "-")
        response = SERVICE.error_response(refusal)
    except Exception as bug:
        log.exception("SCIM request failed")
        response = SERVICE.error_response(bug)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


async def scim_endpoint(request: Request) -> Response:
    path = request.url.path.removeprefix(PREFIX) or "/"
    scim_request = ScimRequest(
        method=request.method,
        base_url=scim_tokens.endpoint_url(get_settings().base_url),
        path=path.removesuffix(".scim"),
        query=dict(request.query_params),
        headers=list(request.headers.items()),
    )
    body = await read_body(request)
    if body is None:
        error = PayloadTooLargeException(detail=f"The body is larger than {MAX_BODY_BYTES} bytes")
        response = SERVICE.error_response(error)
    else:
        scim_request.body = body
        response = await asyncio.to_thread(serve, get_engine(), scim_request)
    content = b"" if response.body is None else json.dumps(response.body).encode()
    status = int(response.status)
    if status == HTTPStatus.NO_CONTENT:
        content = b""
    return Response(content, status_code=status, headers=response.headers)


routes = [
    Route(PREFIX, scim_endpoint, methods=METHODS, name="scim-root"),
    Route(PREFIX + "/{rest:path}", scim_endpoint, methods=METHODS, name="scim"),
]
