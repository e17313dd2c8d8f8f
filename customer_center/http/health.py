"""GET /health: for the reverse proxy, the process supervisor and the operator.

Reports each dependency of this worker, without reasons (those go to the log)::

    {"status": "ok", "database": "ok", "redis": "ok",
     "outbox": {"due": 0, "oldest_due_seconds": 0}}

``database`` always; ``redis`` when Reflex keeps the tabs' state there (``CC_REDIS_URL``);
``outbox`` is the relay's lag: how many messages are due and how long the oldest has waited
(a dead relay shows as a growing figure, while the portal itself still works). 200 while
the database and Redis answer, else 503 with ``"status": "unavailable"`` and the dependency
that is ``"down"``: the portal cannot serve a page without either. ``GET /ping`` is liveness
only.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from customer_center.db import get_engine
from customer_center.models.base import utcnow
from customer_center.models.outbox import PENDING, SENDING, OutboxMessage
from customer_center.settings import get_settings

log = logging.getLogger(__name__)

OK, DOWN = "ok", "down"
CHECK_TIMEOUT_SECONDS = 2.0
_outbox = OutboxMessage.__table__.c  # type: ignore[attr-defined]


def _outbox_lag(connection: Any, now: datetime) -> dict[str, int]:
    due = or_(
        (_outbox.status == PENDING) & (_outbox.next_attempt_at <= now),
        _outbox.status == SENDING,
    )
    count, oldest = connection.execute(
        select(func.count(), func.min(_outbox.next_attempt_at)).where(due)
    ).one()
    if oldest is not None and oldest.tzinfo is None:  # SQLite returns naive UTC
        oldest = oldest.replace(tzinfo=UTC)
    waited = (now - oldest).total_seconds() if oldest is not None else 0
    return {"due": int(count), "oldest_due_seconds": max(int(waited), 0)}


def _database() -> tuple[str, dict[str, int] | None]:
    """The database's state, and the outbox's lag when it answers."""
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
            return OK, _outbox_lag(connection, utcnow())
    except Exception:
        log.exception("health check: the database does not answer")
        return DOWN, None


def _redis(url: str) -> str:
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except Exception:
        log.exception("health check: Redis does not answer")
        return DOWN
    finally:
        client.close()
    return OK


def report() -> dict[str, Any]:
    """Every dependency's state; ``status`` is ``ok`` only when all the needed ones are."""
    database, outbox = _database()
    checks: dict[str, Any] = {"database": database}
    redis_url = get_settings().redis_url
    if redis_url:
        checks["redis"] = _redis(redis_url)
    healthy = all(value == OK for value in checks.values())
    if outbox is not None:
        checks["outbox"] = outbox
    return {"status": "ok" if healthy else "unavailable", **checks}


async def health(_request: Request) -> JSONResponse:
    body = await asyncio.to_thread(report)
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)


routes = [Route("/health", health, methods=["GET"])]
