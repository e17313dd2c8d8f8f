"""GET /datasheets/<file>: the product data sheets the ERP names by a path on this site.

The ERP gives each product a ``datasheet_url``; a web address elsewhere is linked directly,
a path ``/datasheets/<file>`` is served from here: from ``<CC_DATA_DIR>/datasheets`` (where
the seller puts the files; ``customer-center erp import-demo`` writes the demo products'
sheets there), to signed-in holders of ``documents.view`` only. A missing
session is 401, a missing right 403, a file that is not there 404, each with a sentence in
the user's language. Only plain file names are accepted: no folders, no ``..``.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from customer_center.auth.principals import load_principal
from customer_center.domain.permissions import Permission
from customer_center.i18n import translate
from customer_center.i18n.catalog import normalize_language
from customer_center.settings import get_settings

FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
MEDIA_TYPES = {".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8"}


def datasheet_folder() -> Path:
    return get_settings().datasheet_dir


def datasheet_file(name: str) -> Path | None:
    """The file of that name in the data sheet folder, if the name is plain and it exists."""
    if not FILE_NAME.fullmatch(name) or ".." in name:
        return None
    folder = datasheet_folder().resolve()
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return path


async def datasheet(request: Request) -> Response:
    context = await asyncio.to_thread(load_principal, request.headers.get("cookie", ""))
    if context is None:
        lang = normalize_language(request.headers.get("accept-language"))
        return PlainTextResponse(translate(lang, "shop.datasheet.unauthorized"), status_code=401)
    lang = context.language
    if not context.may(Permission.DOCUMENTS_VIEW):
        return PlainTextResponse(translate(lang, "shop.datasheet.forbidden"), status_code=403)
    path = await asyncio.to_thread(datasheet_file, str(request.path_params.get("name", "")))
    if path is None:
        return PlainTextResponse(translate(lang, "shop.datasheet.missing"), status_code=404)
    return FileResponse(
        path,
        media_type=MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream"),
        filename=path.name,
        content_disposition_type="inline",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"},
    )


routes = [Route("/datasheets/{name}", datasheet, methods=["GET"], name="datasheet")]
