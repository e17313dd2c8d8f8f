"""Delivers outbox messages: claims due ones, hands them to a handler, retries with backoff.

A claim is one conditional ``UPDATE ... RETURNING`` whose candidate rows are selected with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite ignores the clause and serialises writers),
so several relays never claim the same message. A claim is a lease: if a relay dies
mid-delivery, the message is claimed again once the lease has run out. Each claim counts an
attempt, and the attempt number fences the final update, so a relay whose lease was taken
over cannot overwrite the newer claim. Handlers get a message id that is stable per outbox
row and must be idempotent by it (the dev mailbox and the ERP are; SMTP sets Message-ID).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.engine import Engine

from customer_center.logs import start_system_context
from customer_center.models.base import utcnow
from customer_center.models.outbox import DEAD, PENDING, SENDING, SENT, OutboxMessage

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], str], None]
Clock = Callable[[], datetime]

LEASE = timedelta(minutes=5)
LEASE_MARGIN = timedelta(minutes=1)  # never start a delivery this close to the lease's end
MAX_ATTEMPTS = 12
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
ERROR_LENGTH = 1000
DEFAULT_BATCH = 20

_table = OutboxMessage.__table__.c  # type: ignore[attr-defined]


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 30 s, 60 s, 120 s ... capped at one hour."""
    seconds = FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, MAX_RETRY_SECONDS))


def message_id_of(outbox_id: int) -> str:
    return f"cc-outbox-{outbox_id}"


@dataclass(frozen=True)
class Claim:
    id: int
    kind: str
    payload: dict[str, Any]
    attempt: int
    lease_until: datetime


class OutboxRelay:
    """Delivers due outbox messages through ``handlers`` (kind -> handler).

    A message that keeps failing is given up (``dead``) after :data:`MAX_ATTEMPTS`, except
    kinds in ``retry_forever``: work that must happen however long the other side is down
    (an approved order for the ERP), retried hourly until it succeeds.
    """

    def __init__(
        self,
        engine: Engine,
        handlers: dict[str, Handler],
        clock: Clock = utcnow,
        retry_forever: frozenset[str] = frozenset(),
        lease: timedelta = LEASE,
    ):
        self._engine = engine
        self._handlers = dict(handlers)
        self._clock = clock
        self._retry_forever = retry_forever
        self._lease = lease
        # Never start a delivery this close to the lease's end (a fifth of a short lease).
        self._margin = min(LEASE_MARGIN, lease / 5)

    def run_once(self, batch: int = DEFAULT_BATCH) -> int:
        """Deliver what is due now; returns how many messages were delivered."""
        return sum(self._process(claim) for claim in self._claim(batch))

    def run_once_logging_errors(self, batch: int = DEFAULT_BATCH) -> int:
        """Like :meth:`run_once`, but a failure (database down) is logged, not raised."""
        try:
            return self.run_once(batch)
        except Exception:
            log.exception("outbox relay run failed")
            return 0

    def run_forever(
        self, stop: threading.Event, interval: float = 1.0, batch: int = DEFAULT_BATCH
    ) -> None:
        """Deliver until ``stop`` is set; waits ``interval`` seconds whenever idle."""
        while not stop.is_set():
            if self.run_once_logging_errors(batch) < batch:
                stop.wait(interval)

    def _due(self, now: datetime) -> ColumnElement[bool]:
        """Pending and due, or claimed by a relay whose lease has run out; with a handler."""
        return and_(
            _table.kind.in_(list(self._handlers)),
            or_(
                and_(_table.status == PENDING, _table.next_attempt_at <= now),
                and_(_table.status == SENDING, _table.claimed_until < now),
            ),
        )

    def _claim(self, batch: int) -> list[Claim]:
        now = self._clock()
        lease_until = now + self._lease
        # Materialized, so the locked batch is chosen once: as a plain IN subquery PostgreSQL
        # may run it again per row, each run skipping the rows the last one locked, and one
        # claim then took nearly every due message instead of a batch.
        candidates = (
            select(_table.id)
            .where(self._due(now))
            .order_by(_table.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
            .cte("candidates")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        claim = (
            update(OutboxMessage)
            .where(_table.id.in_(select(candidates.c.id)), self._due(now))
            .values(status=SENDING, claimed_until=lease_until, attempts=_table.attempts + 1)
            .returning(_table.id, _table.kind, _table.payload, _table.attempts)
        )
        with self._engine.begin() as connection:
            rows = connection.execute(claim).all()
        claims = [
            Claim(row.id, row.kind, dict(row.payload or {}), row.attempts, lease_until)
            for row in rows
        ]
        return sorted(claims, key=lambda claim: claim.id)

    def _process(self, claim: Claim) -> int:
        if self._clock() > claim.lease_until - self._margin:
            return 0  # a slow batch: leave it for the next claim rather than risk two relays
        start_system_context(f"outbox.{claim.kind}", message_id_of(claim.id))
        try:
            self._handlers[claim.kind](claim.payload, message_id_of(claim.id))
        except Exception as error:  # every failure is recorded and retried
            # The error itself (it may name a recipient) goes to the row, not the log.
            log.warning(
                "outbox message %s (%s) failed: %s", claim.id, claim.kind, type(error).__name__
            )
            self._record_failure(claim, f"{type(error).__name__}: {error}")
            return 0
        self._finish(claim, status=SENT, sent_at=self._clock(), last_error="")
        return 1

    def _record_failure(self, claim: Claim, error: str) -> None:
        if claim.attempt >= MAX_ATTEMPTS and claim.kind not in self._retry_forever:
            self._finish(claim, status=DEAD, last_error=error[:ERROR_LENGTH])
            return
        self._finish(
            claim,
            status=PENDING,
            last_error=error[:ERROR_LENGTH],
            next_attempt_at=self._clock() + retry_delay(claim.attempt),
        )

    def _finish(self, claim: Claim, **values: Any) -> None:
        """Close our claim; a no-op if another relay has claimed the message since."""
        with self._engine.begin() as connection:
            connection.execute(
                update(OutboxMessage)
                .where(
                    _table.id == claim.id,
                    _table.status == SENDING,
                    _table.attempts == claim.attempt,
                )
                .values(claimed_until=None, **values)
            )


async def relay_loop(relay: OutboxRelay, interval: float = 1.0, batch: int = DEFAULT_BATCH) -> None:
    """The relay as an asyncio task: each run happens in a worker thread, never on the loop."""
    while True:
        if await asyncio.to_thread(relay.run_once_logging_errors, batch) < batch:
            await asyncio.sleep(interval)
