"""Every browser gets its browser key (``auth.browser_key``) with the first page it loads:
an HttpOnly cookie set on the answer to a page request that came without one. The page's
websocket connects after that, so the sign-in handlers can read it from the connection."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from customer_center.auth.browser_key import (
    BROWSER_COOKIE,
    BROWSER_KEY_DAYS,
    new_browser_key,
    usable_key,
)
from customer_center.settings import get_settings


def _asks_for_a_page(scope: Scope) -> bool:
    """A browser loading a page (not an API client, not an asset) that holds no key yet."""
    if scope["type"] != "http" or scope.get("method") != "GET":
        return False
    connection = HTTPConnection(scope)
    return "text/html" in connection.headers.get("accept", "") and not usable_key(
        connection.cookies.get(BROWSER_COOKIE)
    )


def key_cookie() -> str:
    """The ``Set-Cookie`` value of a new browser key."""
    jar: SimpleCookie = SimpleCookie()
    jar[BROWSER_COOKIE] = new_browser_key()
    morsel = jar[BROWSER_COOKIE]
    morsel["path"] = "/"
    morsel["max-age"] = str(BROWSER_KEY_DAYS * 24 * 3600)
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"
    if get_settings().secure_cookies:
        morsel["secure"] = True
    return morsel.OutputString()


class BrowserKeyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _asks_for_a_page(scope):
            await self.app(scope, receive, send)
            return

        async def send_with_key(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", key_cookie())
            await send(message)

        await self.app(scope, receive, send_with_key)


browser_key_middleware = Middleware(BrowserKeyMiddleware)
