"""GET /returns/slips/<id>.pdf (the customer's side: the session cookie, or an agent acting
for a user) and GET /seller/returns/slips/<id>.pdf (an agent of the company's account team):
the return slip of an approved return, as a download.

No live session -> 401; another company's return, one not yet approved, or an id that does
not exist -> 403 with the same sentence. The file goes out as an attachment with a fixed
content type, never cached by a shared cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from customer_center.auth.principals import load_agent, load_customer_side
from customer_center.db import session_scope
from customer_center.domain import routes as addresses
from customer_center.domain.errors import ServiceError
from customer_center.i18n import translate
from customer_center.i18n.catalog import normalize_language
from customer_center.logs import bind_principal
from customer_center.presenters.return_slip import render_slip, slip_filename
from customer_center.services.returns.slip import REFUSED, customer_slip, seller_slip
from customer_center.settings import get_settings


def _pdf(fetch: Callable[..., Any], principal: Any, return_id: str) -> tuple[bytes, str]:
    with session_scope() as session:
        data = fetch(session, principal, return_id=return_id)
    content = render_slip(data, principal.language, seller=get_settings().seller_name)
    return content, slip_filename(data)


def _slip_route(load: Callable[[str], Any], fetch: Callable[..., Any]) -> Callable[..., Any]:
    async def slip(request: Request) -> Response:
        principal = await asyncio.to_thread(load, request.headers.get("cookie", ""))
        bind_principal(principal)
        if principal is None:
            lang = normalize_language(request.headers.get("accept-language"))
            return PlainTextResponse(translate(lang, "documents.error.signed_out"), status_code=401)
        return_id = str(request.path_params.get("return_id", ""))
        try:
            content, filename = await asyncio.to_thread(_pdf, fetch, principal, return_id)
        except ServiceError:
            return PlainTextResponse(translate(principal.language, REFUSED), status_code=403)
        return Response(
            content,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return slip


routes = [
    Route(
        f"{addresses.RETURN_SLIPS}/{{return_id}}.pdf",
        _slip_route(load_customer_side, customer_slip),
        methods=["GET"],
    ),
    Route(
        f"{addresses.SELLER_RETURN_SLIPS}/{{return_id}}.pdf",
        _slip_route(load_agent, seller_slip),
        methods=["GET"],
    ),
]
