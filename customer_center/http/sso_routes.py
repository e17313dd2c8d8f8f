"""Single sign-on routes: off to the company's identity provider and back with the session
cookie, set exactly like after a password sign-in. Every refusal lands on the sign-in page
with its notice (``sso_<reason>``) and in the audit log."""

from __future__ import annotations

import asyncio
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from customer_center.auth.browser_key import BROWSER_COOKIE
from customer_center.http.auth_routes import set_session_cookie
from customer_center.http.sso_flow import client_ip, in_transaction, to_provider
from customer_center.services.identity import sso_provisioning, sso_sign_in
from customer_center.services.identity.sso_sign_in import ProviderAnswer, SsoRefused
from customer_center.settings import get_settings

STATE_COOKIE = "cc_sso_state"
STATE_COOKIE_PATH = "/auth/sso"
T = TypeVar("T")


async def _refused(request: Request, refusal: SsoRefused) -> RedirectResponse:
    detail = {"path": request.url.path}
    await in_transaction(sso_sign_in.record_refusal, refusal, client_ip(request), detail)
    response = RedirectResponse(f"/sign-in?notice=sso_{refusal.reason}", status_code=303)
    response.delete_cookie(STATE_COOKIE, path=STATE_COOKIE_PATH)
    return response


async def sso_start(request: Request) -> RedirectResponse:
    """Begin the code flow for the company the e-mail's domain belongs to, in the browser the
    sign-in page gave the start ticket to (its browser key) only."""
    try:
        started = await in_transaction(
            sso_sign_in.start_login,
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
        ttl=sso_sign_in.TRANSACTION_TTL,
    )


async def _finish(request: Request) -> tuple[str, str]:
    """Three steps: use up the transaction; code exchange and token checks (network, no
    database); the user, roles and session. Returns (cookie value, next page)."""
    settings = get_settings()
    params = request.query_params
    state = params.get("state", "")
    tx = await in_transaction(sso_sign_in.take_transaction, state)
    sso_sign_in.check_browser(tx, state, request.cookies.get(STATE_COOKIE))
    secret = await in_transaction(sso_sign_in.client_secret_of, settings, tx)
    answer = ProviderAnswer(code=params.get("code", "")[:2000], error=params.get("error", ""))
    claims = await asyncio.to_thread(sso_sign_in.verify_answer, settings, tx, answer, secret)
    cookie = await asyncio.to_thread(
        sso_provisioning.complete_login_in_own_transaction,
        settings,
        tx,
        claims,
        ip_address=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    return cookie, tx.next


async def sso_callback(request: Request) -> RedirectResponse:
    try:
        cookie, next_page = await _finish(request)
    except SsoRefused as refusal:
        return await _refused(request, refusal)
    response = RedirectResponse(next_page, status_code=303)
    set_session_cookie(response, cookie)
    response.delete_cookie(STATE_COOKIE, path=STATE_COOKIE_PATH)
    return response


routes = [
    Route("/auth/sso/start", sso_start, methods=["GET"]),
    Route("/auth/sso/callback", sso_callback, methods=["GET"]),
]
