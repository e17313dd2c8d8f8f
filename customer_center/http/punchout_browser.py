"""The browser's way into a punchout and back: the single-use start link signs the user in
(cookies that work inside the procurement system's iframe), the transfer auto-posts the cart
to the procurement system, and every page may be framed only by the origins of the
punchout's connection (``frame-ancestors``)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
from html import escape

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from customer_center.auth.principals import load_principal
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.db import session_scope
from customer_center.domain import punchout
from customer_center.domain import routes as paths
from customer_center.domain.errors import ServiceError
from customer_center.domain.punchout import SESSION_HOURS
from customer_center.http.sso_flow import client_ip
from customer_center.i18n import translate
from customer_center.i18n.catalog import normalize_language
from customer_center.services.punchout import start as start_service
from customer_center.services.punchout import transfer as transfer_service
from customer_center.services.wiring import erp_client
from customer_center.settings import get_settings, origin_of

FRAME_COOKIE = "cc_punchout_frame"


# --- cookies that work in an iframe ----------------------------------------------------------


def _set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    """In a procurement system's iframe our pages are third-party: ``SameSite=None; Secure``
    is the only way the browser sends the cookie there (https deployments). Plain http (dev)
    keeps ``Lax``, which browsers require without ``Secure``."""
    secure = get_settings().secure_cookies
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="none" if secure else "lax",
        secure=secure,
        path="/",
    )


def _sign(value: str) -> str:
    key = get_settings().secret_key.encode("utf-8")
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def frame_cookie_value(origins: list[str]) -> str:
    data = base64.urlsafe_b64encode(json.dumps(origins).encode("utf-8")).decode("ascii")
    return f"{data}.{_sign(data)}"


def framing_origins(cookie: str | None) -> list[str]:
    """The origins a signed frame cookie names; none for a missing or forged one."""
    data, _dot, signature = (cookie or "").partition(".")
    if not data or not hmac.compare_digest(_sign(data), signature):
        return []
    try:
        origins = json.loads(base64.urlsafe_b64decode(data.encode("ascii")))
    except ValueError:
        return []
    return [o for o in origins if isinstance(o, str) and o == punchout.origin_of(o)][:10]


class FrameAncestors:
    """Every page answer says who may frame it: the portal itself, and in a punchout the
    connection's origins (from the signed frame cookie the start link set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origins = framing_origins(HTTPConnection(scope).cookies.get(FRAME_COOKIE))

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers.append("content-security-policy", punchout.frame_ancestors(origins))
            await send(message)

        await self.app(scope, receive, send_with_policy)


frame_ancestors_middleware = Middleware(FrameAncestors)


# --- start ---------------------------------------------------------------------------------


def _start(token: str, ip: str, agent: str) -> start_service.Started:
    with session_scope() as session:
        return start_service.start(
            session, token=token, erp=erp_client(), ip_address=ip, user_agent=agent
        )


async def start_endpoint(request: Request) -> Response:
    """Use up the start link, sign its user in and open the catalogue."""
    try:
        started = await asyncio.to_thread(
            _start,
            request.query_params.get("token", "")[:100],
            client_ip(request),
            request.headers.get("user-agent", ""),
        )
    except ServiceError as error:
        lang = normalize_language(request.headers.get("accept-language"))
        return _message_page(lang, _REFUSALS.get(error.code, "punchout.link.invalid"), 403)
    response = RedirectResponse(paths.CART if started.reopened else paths.CATALOGUE, 303)
    _set_cookie(response, SESSION_COOKIE, started.cookie, SESSION_HOURS * 3600)
    _set_cookie(response, FRAME_COOKIE, frame_cookie_value(started.allowed_origins), 86400)
    return response


_REFUSALS = {"link.used": "punchout.link.used", "link.expired": "punchout.link.expired"}


# --- transfer ------------------------------------------------------------------------------


def _page(lang: str, title: str, content: str, nonce: str = "") -> str:
    """A bare page around ``content`` (HTML, already escaped)."""
    script = (
        f"<script nonce='{nonce}'>document.getElementById('transfer').submit();</script>"
        if nonce
        else ""
    )
    return (
        f"<!doctype html><html lang='{escape(lang, quote=True)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title></head><body><main>{content}</main>{script}</body></html>"
    )


def _message_page(lang: str, key: str, status: int) -> HTMLResponse:
    text = f"<p>{escape(translate(lang, key))}</p>"
    return HTMLResponse(_page(lang, "Punchout", text), status_code=status)


def transfer_page(result: transfer_service.Transfer, nonce: str, lang: str) -> str:
    """The form that takes the cart to the procurement system, sent at once by its script
    (the button is there for a browser without scripts)."""
    inputs = "".join(
        f"<input type='hidden' name='{escape(name, quote=True)}' "
        f"value='{escape(value, quote=True)}'>"
        for name, value in result.fields
    )
    target = dict(result.fields).get("~TARGET", "_top") or "_top"
    title = translate(lang, "punchout.cart.transfer")
    form = (
        f"<form id='transfer' method='post' action='{escape(result.return_url, quote=True)}' "
        f"target='{escape(target, quote=True)}'>{inputs}"
        f"<p>{escape(translate(lang, 'punchout.transfer.on_its_way'))}</p>"
        f"<button type='submit'>{escape(title)}</button></form>"
    )
    return _page(lang, title, form, nonce)


def _transfer(cookie_header: str) -> tuple[transfer_service.Transfer, str]:
    principal = load_principal(cookie_header)
    if principal is None:
        raise ServiceError("punchout.error.no_session")
    with session_scope() as session:
        result = transfer_service.transfer(session, principal, erp=erp_client())
    return result, principal.language


def _same_origin(request: Request) -> bool:
    """The transfer is a POST from our own cart page: another site cannot make a signed-in
    browser send its cart away."""
    origin = request.headers.get("origin") or punchout.origin_of(request.headers.get("referer", ""))
    return bool(origin) and origin == origin_of(get_settings().base_url)


async def transfer_endpoint(request: Request) -> Response:
    lang = normalize_language(request.headers.get("accept-language"))
    if not _same_origin(request):
        return _message_page(lang, "punchout.transfer.other_site", 403)
    try:
        result, lang = await asyncio.to_thread(_transfer, request.headers.get("cookie", ""))
    except ServiceError as error:
        known = error.code.startswith("punchout.") or error.code.startswith("shop.")
        return _message_page(lang, error.code if known else "punchout.error.no_session", 409)
    nonce = secrets.token_urlsafe(16)
    response = HTMLResponse(transfer_page(result, nonce, lang))
    framing = punchout.frame_ancestors(framing_origins(request.cookies.get(FRAME_COOKIE)))
    response.headers["content-security-policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; "
        f"form-action {punchout.origin_of(result.return_url)}; {framing}"
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


routes = [
    Route(paths.PUNCHOUT_START, start_endpoint, methods=["GET"]),
    Route(paths.PUNCHOUT_TRANSFER, transfer_endpoint, methods=["POST"]),
]
