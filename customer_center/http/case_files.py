"""GET /case-files/<id> (customer) and /seller/case-files/<id> (the account team's agents):
a file attached to a support case, as a download.

The principal comes from the session cookie as for every event. No live session -> 401;
another company's file, a file of a case one may not see, a staged file, an unknown or odd
id and, for the customer, a file of the seller's internal note -> the same 403 with the same
sentence. The file always goes out as an attachment, with the type its content showed when it
was uploaded (one of a few harmless ones), ``nosniff`` and a sandboxing CSP, never cached by a
shared cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from customer_center.auth.principals import load_agent, load_principal
from customer_center.db import session_scope
from customer_center.domain import routes as addresses
from customer_center.domain.errors import ServiceError
from customer_center.i18n import translate
from customer_center.i18n.catalog import normalize_language
from customer_center.logs import bind_principal
from customer_center.services.cases import customer, seller
from customer_center.services.cases.attachments import REFUSED, FileContent


def _disposition(name: str) -> str:
    plain = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _download(found: FileContent) -> Response:
    return Response(
        found.content,
        media_type=found.media_type,
        headers={
            "Content-Disposition": _disposition(found.name),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


async def _serve(request: Request, load: Callable[[str], Any], fetch: Callable) -> Response:
    who = await asyncio.to_thread(load, request.headers.get("cookie", ""))
    bind_principal(who)
    if who is None:
        lang = normalize_language(request.headers.get("accept-language"))
        return PlainTextResponse(translate(lang, "documents.error.signed_out"), status_code=401)
    wanted = str(request.path_params.get("attachment_id", ""))[:40]

    def read() -> FileContent:
        with session_scope() as session:
            return fetch(session, who, attachment_id=wanted)

    try:
        found = await asyncio.to_thread(read)
    except ServiceError:
        return PlainTextResponse(translate(who.language, REFUSED), status_code=403)
    return _download(found)


async def customer_file(request: Request) -> Response:
    return await _serve(request, load_principal, customer.file_content)


async def seller_file(request: Request) -> Response:
    return await _serve(request, load_agent, seller.file_content)


routes = [
    Route(f"{addresses.CASE_FILES}/{{attachment_id}}", customer_file, methods=["GET"]),
    Route(f"{addresses.SELLER_CASE_FILES}/{{attachment_id}}", seller_file, methods=["GET"]),
]
