"""What the customers' and the staff's single sign-on routes share: the database off the event
loop, the client's address, and the redirect to the identity provider that leaves the flow's
state in an HttpOnly cookie."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import RedirectResponse

from customer_center.db import session_scope
from customer_center.settings import get_settings

T = TypeVar("T")


def _in_transaction(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with session_scope() as session:
        return fn(session, *args, **kwargs)


async def in_transaction(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a service with a fresh session in a worker thread (commits on success)."""
    return await asyncio.to_thread(_in_transaction, fn, *args, **kwargs)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def to_provider(
    url: str, state: str, *, cookie: str, path: str, ttl: timedelta
) -> RedirectResponse:
    """Off to the identity provider, the flow's state kept in a cookie for the callback."""
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        cookie,
        state,
        max_age=int(ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
        path=path,
    )
    return response
