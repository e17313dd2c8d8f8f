"""Authenticated CSV downloads over plain HTTP (the websocket cannot hand the browser a file).

One route per export, built by :func:`csv_download_route`::

    def users_csv(session: Session, actor: CustomerUser, params: Params) -> Iterator[str]:
        ...  # parse params, query within actor.company_id, yield the header line, then rows

    routes = [csv_download_route("/export/users.csv", Permission.USERS_MANAGE, users_csv)]

The route resolves the actor from the session cookie exactly as every event does
(:func:`load_principal`): no live session -> 401, without ``permission`` -> 403. The
producer gets the query string as plain strings (first value of each name, length-limited)
and must treat them as untrusted: parse them, and scope every query by ``actor.company_id``.
It runs in worker threads with one read session, and its lines go out in chunks as they come,
so a large export never sits in memory. Add the route list to ``api_transformer`` in the app
module; link to it with a plain ``<a href>`` (the browser sends the cookie).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import PurePosixPath

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from customer_center.auth.principals import load_principal
from customer_center.db import session_scope
from customer_center.domain.permissions import Permission
from customer_center.domain.principals import CustomerUser
from customer_center.i18n import translate
from customer_center.i18n.catalog import normalize_language
from customer_center.logs import bind_principal
from customer_center.presenters import audit as audit_words
from customer_center.services.audit_log import filter_from_params, iter_audit_batches
from customer_center.services.people.budgets import local_today

Producer = Callable[[Session, CustomerUser, Mapping[str, str]], Iterator[str]]

MAX_PARAMS = 20
MAX_PARAM_LENGTH = 200
CHUNK_SIZE = 64 * 1024
# Lets Excel read the file as UTF-8 (umlauts in names); other readers ignore it.
BYTE_ORDER_MARK = "\ufeff"


def query_params(request: Request) -> dict[str, str]:
    """The query string as a few short strings: the first value of each name."""
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if len(params) >= MAX_PARAMS:
            break
        params.setdefault(name[:MAX_PARAM_LENGTH], value[:MAX_PARAM_LENGTH])
    return params


def download_name(stem: str) -> str:
    """``audit-2026-05-04.csv``: the day of the export in the company's time zone."""
    return f"{stem}-{local_today().isoformat()}.csv"


def csv_download_route(
    path: str,
    permission: Permission | tuple[Permission, ...],
    producer: Producer,
    *,
    file_stem: str = "",
) -> Route:
    """A GET route streaming ``producer``'s CSV to signed-in holders of ``permission`` (a
    tuple: of any of them).

    ``file_stem`` names the downloaded file (default: the path's file name without ``.csv``).
    """
    stem = file_stem or PurePosixPath(path).stem
    rights = (permission,) if isinstance(permission, Permission) else permission

    async def download(request: Request) -> Response:
        context = await asyncio.to_thread(load_principal, request.headers.get("cookie", ""))
        bind_principal(context)
        if context is None:
            lang = normalize_language(request.headers.get("accept-language"))
            return _refusal(401, lang, "export.unauthorized")
        if not context.may(*rights):
            return _refusal(403, context.language, "export.forbidden")
        lines = _produced(producer, context, query_params(request))
        return StreamingResponse(
            _chunks([BYTE_ORDER_MARK], lines),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{download_name(stem)}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return Route(path, download, methods=["GET"], name=f"export-{stem}")


def _refusal(status: int, lang: str, key: str) -> Response:
    return PlainTextResponse(translate(lang, key), status_code=status)


def _produced(producer: Producer, actor: CustomerUser, params: Mapping[str, str]) -> Iterator[str]:
    """The producer's lines within one database session, opened on the first read."""
    with session_scope() as session:
        yield from producer(session, actor, params)


def _chunks(head: Iterable[str], lines: Iterator[str]) -> Iterator[bytes]:
    """Lines gathered into chunks: Starlette runs a plain iterator in a worker thread per
    step, so one step per line would cost a thread hop per row."""
    pending: list[str] = list(head)
    size = sum(len(text) for text in pending)
    for line in lines:
        pending.append(line)
        size += len(line)
        if size >= CHUNK_SIZE:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def audit_csv(session: Session, actor: CustomerUser, params: Mapping[str, str]) -> Iterator[str]:
    batches = iter_audit_batches(session, actor, audit_filter=filter_from_params(params))
    return audit_words.csv_lines(batches, actor.language)


routes = [csv_download_route("/export/audit.csv", Permission.AUDIT_VIEW, audit_csv)]
