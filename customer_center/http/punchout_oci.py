"""OCI punchout (4.0/5.0): the procurement system sends the user's browser here with the
connection's ``USERNAME``/``PASSWORD``, ``HOOK_URL`` and the fields to echo (``~OkCode``,
``~TARGET``, ``~CALLER``); the user (from the connection's user field) is created on the way
in and the browser goes on through a single-use start link. Orders come through the ERP."""

from __future__ import annotations

import asyncio
import secrets
from html import escape

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from customer_center.db import session_scope
from customer_center.domain import routes as paths
from customer_center.domain.inputs import parse_whole
from customer_center.domain.principals import PunchoutClient
from customer_center.domain.punchout import (
    MAX_MESSAGE_BYTES,
    OCI_ECHO_FIELDS,
    Protocol,
    oci_fields,
    origin_of,
)
from customer_center.http.punchout_browser import transfer_page
from customer_center.i18n.catalog import normalize_language
from customer_center.models.punchout import PunchoutConnection
from customer_center.services.punchout import arrival, oci_validate
from customer_center.services.punchout.arrival import Arrival, PunchoutRefused
from customer_center.services.punchout.messages import record_message
from customer_center.services.punchout.transfer import Transfer
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings

MAX_FIELDS = 50
SECRET_FIELDS = {"PASSWORD"}


async def _fields(request: Request) -> dict[str, str] | None:
    """The query's and (for a POST) the form's fields, first value each, bounded."""
    declared = parse_whole(request.headers.get("content-length", "0"), 10**18)
    if declared is None or declared > MAX_MESSAGE_BYTES:
        return None
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=MAX_FIELDS)
        pairs += [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    fields: dict[str, str] = {}
    for name, value in pairs[:MAX_FIELDS]:
        fields.setdefault(name[:100], value[:2000])
    return fields


def _raw(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={'***' if k in SECRET_FIELDS else v}" for k, v in fields.items())


def _client(session: Session, fields: dict[str, str]) -> PunchoutClient:
    return arrival.authenticate(
        session,
        protocol=Protocol.OCI,
        domain="",
        identity=fields.get("USERNAME", ""),
        secret=fields.get("PASSWORD", ""),
    )


def _welcome(fields: dict[str, str]) -> str:
    settings = get_settings()
    with session_scope() as session:
        client = _client(session, fields)
        connection = session.get(PunchoutConnection, client.connection_id)
        assert connection is not None
        welcome = arrival.welcome(
            session,
            client,
            settings=settings,
            arrival=Arrival(
                operation="create",
                buyer_cookie="",
                return_url=fields.get("HOOK_URL", ""),
                email=fields.get(connection.user_field, ""),
                name=fields.get("USER_NAME", ""),
                fields=fields,
                raw=_raw(fields),
                echo={k: fields[k] for k in OCI_ECHO_FIELDS if k in fields},
            ),
        )
        record_message(
            session,
            kind="oci_setup",
            raw=_raw(fields),
            company_id=client.company_id,
            connection_id=client.connection_id,
            session_id=welcome.session_id,
        )
    return welcome.start_url


def _record_refusal(fields: dict[str, str], refusal: PunchoutRefused) -> None:
    with session_scope() as session:
        record_message(
            session,
            kind="oci_setup",
            raw=_raw(fields),
            status=refusal.status,
            error=refusal.code,
            company_id=refusal.company_id,
            connection_id=refusal.connection_id,
        )


def _refused(status: int, code: str) -> HTMLResponse:
    body = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Punchout</title>"
        f"</head><body><main><p>The punchout was refused ({escape(code)}).</p></main></body></html>"
    )
    return HTMLResponse(body, status_code=status)


def _validate(fields: dict[str, str]) -> Transfer:
    """``FUNCTION=VALIDATE``: one product priced, as the form a transfer sends."""
    settings = get_settings()
    with session_scope() as session:
        client = _client(session, fields)
        line = oci_validate.validate_item(
            session,
            client,
            product_id=fields.get("PRODUCTID", ""),
            quantity=fields.get("QUANTITY", "1"),
            return_url=fields.get("HOOK_URL", ""),
            dev_mode=settings.is_dev,
            erp=erp_client(),
        )
        echo = {k: fields[k] for k in OCI_ECHO_FIELDS if k in fields}
        form = oci_fields([line], "", echo)
        record_message(
            session,
            kind="oci_validate",
            raw=_raw(fields),
            company_id=client.company_id,
            connection_id=client.connection_id,
        )
    return Transfer(protocol="oci", return_url=fields.get("HOOK_URL", ""), fields=form)


async def _answer_validation(request: Request, fields: dict[str, str]) -> Response:
    result = await asyncio.to_thread(_validate, fields)
    nonce = secrets.token_urlsafe(16)
    lang = normalize_language(request.headers.get("accept-language"))
    response = HTMLResponse(transfer_page(result, nonce, lang))
    response.headers["content-security-policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; "
        f"form-action {origin_of(result.return_url)}; "
        f"frame-ancestors 'self' {origin_of(result.return_url)}"
    )
    return response


async def oci_endpoint(request: Request) -> Response:
    fields = await _fields(request)
    if fields is None:
        return _refused(413, "too_large")
    try:
        if fields.get("FUNCTION", "").upper() == "VALIDATE":
            return await _answer_validation(request, fields)
        start_url = await asyncio.to_thread(_welcome, fields)
    except PunchoutRefused as refusal:
        if refusal.company_id is not None:
            await asyncio.to_thread(_record_refusal, fields, refusal)
        return _refused(refusal.status, refusal.code)
    return RedirectResponse(start_url, status_code=303)


routes = [Route(paths.PUNCHOUT_OCI, oci_endpoint, methods=["GET", "POST"])]
