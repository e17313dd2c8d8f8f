"""Delivers outbox messages: claims due ones, hands them to a handler, retries with backoff.

Claiming is a conditional UPDATE (plus ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so several
relays never work on the same message. A claim is a lease: if a relay dies mid-delivery, the
message is claimed again when the lease runs out. Handlers are idempotent by message id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.models.base import utcnow
from customer_center.models.outbox import DEAD, PENDING, SENDING, SENT, OutboxMessage

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], str], None]
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 12
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600


def retry_delay(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s ... capped at one hour."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def message_id_of(outbox_id: int) -> str:
    return f"cc-outbox-{outbox_id}"


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


class OutboxRelay:
    def __init__(
        self,
        engine: Engine,
        handlers: dict[str, Handler],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._engine = engine
        self._handlers = handlers
        self._clock = clock

    def run_once(self, batch: int = 20) -> int:
        """Deliver what is due now; returns how many messages were delivered."""
        delivered = 0
        for message in self._claim(batch):
            delivered += self._deliver(message)
        return delivered

    def _due(self, now: datetime):  # type: ignore[no-untyped-def]
        return or_(
            and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),  # type: ignore[arg-type]
            and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_until < now),  # type: ignore[arg-type,operator]
        )

    def _claim(self, batch: int) -> list[Claimed]:
        now = self._clock()
        claimed = []
        with Session(self._engine) as session:
            query = select(OutboxMessage).where(self._due(now)).order_by(OutboxMessage.id).limit(batch)  # type: ignore[arg-type]
            if self._engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            for row in session.exec(query).all():
                won = session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row.id, self._due(now))  # type: ignore[arg-type]
                    .values(status=SENDING, claimed_until=now + LEASE, attempts=row.attempts + 1)
                ).rowcount  # type: ignore[attr-defined]
                if won == 1:
                    claimed.append(Claimed(row.id, row.kind, dict(row.payload), row.attempts + 1))  # type: ignore[arg-type]
            session.commit()
        return claimed

    def _deliver(self, message: Claimed) -> int:
        handler = self._handlers.get(message.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for outbox kind {message.kind!r}")
            handler(message.payload, message_id_of(message.id))
        except Exception as error:  # every failure is recorded and retried
            log.warning("outbox message %s failed: %s", message.id, error)
            self._reschedule(message, str(error))
            return 0
        self._finish(message.id, status=SENT, sent_at=self._clock())
        return 1

    def _reschedule(self, message: Claimed, error: str) -> None:
        if message.attempts >= MAX_ATTEMPTS:
            self._finish(message.id, status=DEAD, last_error=error[:1000])
            return
        self._finish(
            message.id,
            status=PENDING,
            last_error=error[:1000],
            next_attempt_at=self._clock() + retry_delay(message.attempts),
        )

    def _finish(self, outbox_id: int, **values: Any) -> None:
        with Session(self._engine) as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == outbox_id, OutboxMessage.status == SENDING)  # type: ignore[arg-type]
                .values(claimed_until=None, **values)
            )
            session.commit()
