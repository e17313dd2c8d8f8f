"""GET /documents/<number>.pdf: one of the company's documents from the ERP, as a download.

The principal comes from the session cookie exactly as for every event
(:func:`load_principal`): no live session -> 401; without ``documents.view``, a financial
document (invoice, credit note) without ``reports.view`` or ``orders.view_all``, another
company's document or a number that does not exist -> 403, all with the same sentence
(:func:`customer_center.services.documents.documents.fetch_document` decides). The file goes
out as an attachment, never cached by a shared cache.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from customer_center.auth.principals import load_principal
from customer_center.db import session_scope
from customer_center.domain import routes as addresses
from customer_center.domain.errors import ServiceError
from customer_center.domain.principals import CustomerUser
from customer_center.i18n import translate
from customer_center.i18n.catalog import normalize_language
from customer_center.integrations.erp.protocol import ErpDocumentFile
from customer_center.logs import bind_principal
from customer_center.services.documents.documents import REFUSED, fetch_document
from customer_center.services.wiring import erp_client


def _fetch(principal: CustomerUser, number: str) -> ErpDocumentFile:
    with session_scope() as session:
        return fetch_document(session, principal, erp=erp_client(), number=number)


async def document(request: Request) -> Response:
    context = await asyncio.to_thread(load_principal, request.headers.get("cookie", ""))
    bind_principal(context)
    if context is None:
        lang = normalize_language(request.headers.get("accept-language"))
        return PlainTextResponse(translate(lang, "documents.error.signed_out"), status_code=401)
    number = str(request.path_params.get("number", ""))
    try:
        found = await asyncio.to_thread(_fetch, context, number)
    except ServiceError as error:
        status = 403 if error.code in (REFUSED, "error.permission_denied") else 503
        key = REFUSED if status == 403 else error.code
        return PlainTextResponse(translate(context.language, key), status_code=status)
    return Response(
        found.content,
        media_type=found.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{found.filename}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


routes = [Route(f"{addresses.DOCUMENT_FILES}/{{number}}.pdf", document, methods=["GET"])]
