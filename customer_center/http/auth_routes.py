"""HTTP routes that set and clear the HttpOnly session cookie (websockets cannot)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from customer_center.auth.browser_key import BROWSER_COOKIE
from customer_center.auth.sessions import SESSION_COOKIE
from customer_center.db import session_scope
from customer_center.domain.errors import ServiceError
from customer_center.domain.next_page import safe_next
from customer_center.services.identity.accounts import redeem_sign_in_ticket
from customer_center.settings import get_settings


def _redeem(ticket: str, browser_key: str | None, ip_address: str, user_agent: str) -> str:
    with session_scope() as session:
        return redeem_sign_in_ticket(
            session,
            ticket,
            browser_key=browser_key,
            days=get_settings().session_days,
            ip_address=ip_address,
            user_agent=user_agent,
        )


async def complete_sign_in(request: Request) -> RedirectResponse:
    """Exchange a single-use sign-in ticket for the session cookie, then open the page the
    user came for (``next``, a path inside the portal) or the dashboard. Only in the browser
    the ticket was handed to (its browser key): a ticket sent elsewhere signs nobody in."""
    ticket = request.query_params.get("ticket", "")[:100]
    browser = request.cookies.get(BROWSER_COOKIE)
    ip_address = request.client.host if request.client else ""
    user_agent = request.headers.get("user-agent", "")
    try:
        cookie = await asyncio.to_thread(_redeem, ticket, browser, ip_address, user_agent)
    except ServiceError as error:
        notice = "other_browser" if error.code == "sign_in.other_browser" else "link"
        return RedirectResponse(f"/sign-in?notice={notice}", status_code=303)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    set_session_cookie(response, cookie)
    return response


def set_session_cookie(response: Response, cookie: str) -> None:
    """The HttpOnly session cookie, the same after a password and a single sign-on."""
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=settings.session_days * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


async def signed_out(_request: Request) -> RedirectResponse:
    """Drop the cookie of a session the server has already revoked."""
    response = RedirectResponse("/sign-in?notice=signed_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


routes = [
    Route("/auth/complete", complete_sign_in, methods=["GET"]),
    Route("/auth/signed-out", signed_out, methods=["GET"]),
]
