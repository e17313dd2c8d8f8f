"""The seller's side's HTTP routes that set and clear the HttpOnly staff cookie: a sign-in
ticket exchanged for it, signing out, and the staff single sign-on (the seller's own
identity provider). Apart from the customers' routes: their own cookie, their own paths."""

from __future__ import annotations

import asyncio
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from customer_center.auth.browser_key import BROWSER_COOKIE
from customer_center.auth.staff_sessions import STAFF_COOKIE
from customer_center.domain import routes as addresses
from customer_center.domain.errors import ServiceError
from customer_center.http.sso_flow import client_ip, in_transaction, to_provider
from customer_center.services.identity.sso_sign_in import SsoRefused
from customer_center.services.seller import sso
from customer_center.services.seller.sign_in import redeem_staff_ticket
from customer_center.settings import get_settings

STATE_COOKIE = "cc_staff_sso_state"
STATE_COOKIE_PATH = "/seller/auth/sso"
T = TypeVar("T")


def set_staff_cookie(response: Response, cookie: str) -> None:
    """The HttpOnly staff cookie, the same after a password and a single sign-on."""
    settings = get_settings()
    response.set_cookie(
        STAFF_COOKIE,
        cookie,
        max_age=settings.session_days * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


def _home() -> str:
    return addresses.SELLER


async def complete_sign_in(request: Request) -> RedirectResponse:
    """Exchange a staff sign-in ticket for the staff cookie, in the browser it was handed
    to only; then the seller's start page."""
    settings = get_settings()
    try:
        cookie = await in_transaction(
            redeem_staff_ticket,
            request.query_params.get("ticket", "")[:100],
            browser_key=request.cookies.get(BROWSER_COOKIE),
            days=settings.session_days,
            ip_address=client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except ServiceError as error:
        notice = "other_browser" if error.code == "sign_in.other_browser" else "link"
        return RedirectResponse(f"{addresses.SELLER}?notice={notice}", status_code=303)
    response = RedirectResponse(_home(), status_code=303)
    set_staff_cookie(response, cookie)
    return response


async def signed_out(_request: Request) -> RedirectResponse:
    """Drop the cookie of a staff session the server has already revoked."""
    response = RedirectResponse(f"{addresses.SELLER}?notice=signed_out", status_code=303)
    response.delete_cookie(STAFF_COOKIE, path="/")
    return response


async def _refused(request: Request, refusal: SsoRefused) -> RedirectResponse:
    await in_transaction(sso.record_refusal, refusal, client_ip(request))
    response = RedirectResponse(f"{addresses.SELLER}?notice=sso_{refusal.reason}", status_code=303)
    response.delete_cookie(STATE_COOKIE, path=STATE_COOKIE_PATH)
    return response


async def sso_start(request: Request) -> RedirectResponse:
    """Off to the seller's identity provider, in the browser the sign-in page gave the start
    ticket to only."""
    try:
        started = await in_transaction(
            sso.start_login,
            get_settings(),
            request.query_params.get("ticket", ""),
            request.cookies.get(BROWSER_COOKIE),
            client_ip(request),
        )
    except SsoRefused as refusal:
        return await _refused(request, refusal)
    return to_provider(
        started.url,
        started.state,
        cookie=STATE_COOKIE,
        path=STATE_COOKIE_PATH,
        ttl=sso.TRANSACTION_TTL,
    )


async def sso_callback(request: Request) -> RedirectResponse:
    """Back from the provider: use up the transaction, check the answer (network, outside a
    transaction), then the staff session of the member it names."""
    settings = get_settings()
    params = request.query_params
    try:
        tx = await in_transaction(
            sso.take_transaction, params.get("state", ""), request.cookies.get(STATE_COOKIE)
        )
        claims = await asyncio.to_thread(
            sso.verify_answer,
            settings,
            tx,
            params.get("code", "")[:2000],
            params.get("error", ""),
        )
        cookie = await in_transaction(
            sso.complete_login,
            settings,
            claims,
            ip_address=client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except SsoRefused as refusal:
        return await _refused(request, refusal)
    response = RedirectResponse(_home(), status_code=303)
    set_staff_cookie(response, cookie)
    response.delete_cookie(STATE_COOKIE, path=STATE_COOKIE_PATH)
    return response


routes = [
    Route(addresses.SELLER_AUTH_COMPLETE, complete_sign_in, methods=["GET"]),
    Route(addresses.SELLER_AUTH_SIGNED_OUT, signed_out, methods=["GET"]),
    Route(addresses.SELLER_SSO_START, sso_start, methods=["GET"]),
    Route(addresses.SELLER_SSO_CALLBACK, sso_callback, methods=["GET"]),
]
