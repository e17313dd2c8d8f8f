"""GET /health: for the reverse proxy and the process supervisor.

200 ``{"status": "ok"}`` when this worker answers and reaches the database; 503 with
``{"status": "unavailable"}`` otherwise (the reason goes to the log, not to the caller).
Reflex's own ``/_health`` adds whether Redis answers.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from customer_center.db import get_engine

log = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        log.exception("health check: the database does not answer")
        return False
    return True


async def health(_request: Request) -> JSONResponse:
    if await asyncio.to_thread(_database_answers):
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "unavailable"}, status_code=503)


routes = [Route("/health", health, methods=["GET"])]
