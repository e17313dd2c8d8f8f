"""The log context of a plain HTTP request (``customer_center.logs``): method and route
template (never the concrete path or query, which may hold tokens) and a request id, taken
from a well-formed ``X-Request-ID`` header (a reverse proxy's) or made up. Routes that
authenticate a principal add it with ``logs.bind_principal``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from customer_center.logs import start_context

REQUEST_ID_HEADER = "x-request-id"
UNROUTED = "(other)"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def route_of(routes: Sequence[BaseRoute], scope: Scope) -> str:
    """The template of the route that serves ``scope`` (``/scim/v2/{rest:path}``)."""
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL and isinstance(route, Route):
            return route.path
    return UNROUTED


def request_id_of(scope: Scope) -> str | None:
    presented = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
    return presented if _REQUEST_ID.fullmatch(presented) else None


class RequestLogContext:
    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute] = ()) -> None:
        self.app = app
        self.routes = list(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            event = f"{scope['method']} {route_of(self.routes, scope)}"
            start_context(event, request_id_of(scope))
        await self.app(scope, receive, send)


def log_context_middleware(routes: Sequence[BaseRoute]) -> Middleware:
    return Middleware(RequestLogContext, routes=routes)
