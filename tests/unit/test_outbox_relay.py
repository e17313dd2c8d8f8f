"""The relay delivers every message exactly once, retries with backoff, survives crashes."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from customer_center.db import session_scope
from customer_center.integrations.mail.dev_mailbox import list_dev_mail
from customer_center.models.base import utcnow
from customer_center.models.outbox import DEAD, PENDING, SENDING, SENT, OutboxMessage
from customer_center.outbox.enqueue import EMAIL, enqueue, enqueue_email
from customer_center.outbox.handlers import (
    ERP_COMPANY_ACTIVATED,
    default_handlers,
    erp_company_activated_handler,
)
from customer_center.outbox.relay import (
    LEASE,
    LEASE_MARGIN,
    MAX_ATTEMPTS,
    MAX_RETRY_SECONDS,
    OutboxRelay,
    relay_loop,
    retry_delay,
)
from customer_center.settings import get_settings


class FakeClock:
    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)  # messages queued just now are due

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class RecordingHandler:
    """Records every call; fails for the first ``failures`` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls: list[tuple[dict[str, Any], str]] = []
        self.threads: set[int] = set()

    def __call__(self, payload: dict[str, Any], message_id: str) -> None:
        self.calls.append((payload, message_id))
        self.threads.add(threading.get_ident())
        if len(self.calls) <= self.failures:
            raise ConnectionError("mail server unavailable")

    @property
    def message_ids(self) -> list[str]:
        return [message_id for _, message_id in self.calls]


def _queue_emails(engine: Engine, count: int = 1) -> None:
    with session_scope(engine) as session:
        for number in range(count):
            enqueue_email(
                session, to=f"u{number}@example.com", subject=f"s{number}", text="t", html="h"
            )


def _rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def _only_row(engine: Engine) -> OutboxMessage:
    [row] = _rows(engine)
    return row


def test_message_is_delivered_once_even_when_the_relay_runs_twice(db: Engine) -> None:
    _queue_emails(db)
    handler = RecordingHandler()
    relay = OutboxRelay(db, {EMAIL: handler}, clock=FakeClock())

    assert relay.run_once() == 1
    assert relay.run_once() == 0

    row = _only_row(db)
    assert handler.calls == [(row.payload, f"cc-outbox-{row.id}")]
    assert (row.status, row.attempts, row.claimed_until) == (SENT, 1, None)
    assert row.sent_at is not None


def test_failed_delivery_is_retried_with_growing_backoff_until_dead(db: Engine) -> None:
    _queue_emails(db)
    clock = FakeClock()
    handler = RecordingHandler(failures=10_000)
    relay = OutboxRelay(db, {EMAIL: handler}, clock=clock)
    delays = []

    for attempt in range(1, MAX_ATTEMPTS):
        assert relay.run_once() == 0
        row = _only_row(db)
        assert (row.status, row.attempts) == (PENDING, attempt)
        assert row.last_error == "ConnectionError: mail server unavailable"
        delays.append(row.next_attempt_at - clock.now)
        clock.advance(delays[-1] - timedelta(seconds=1))
        relay.run_once()
        assert len(handler.calls) == attempt, "retried before its time"
        clock.advance(timedelta(seconds=1))

    assert delays[:3] == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert delays == sorted(delays)
    assert max(delays) == timedelta(seconds=MAX_RETRY_SECONDS)

    relay.run_once()
    row = _only_row(db)
    assert (row.status, row.attempts, len(handler.calls)) == (DEAD, MAX_ATTEMPTS, MAX_ATTEMPTS)
    clock.advance(timedelta(days=30))
    relay.run_once()
    assert len(handler.calls) == MAX_ATTEMPTS, "a dead message is kept, never retried"


def test_kinds_that_must_happen_are_retried_hourly_past_the_limit_until_delivered(
    db: Engine,
) -> None:
    _queue_emails(db)
    clock = FakeClock()
    handler = RecordingHandler(failures=MAX_ATTEMPTS + 5)
    relay = OutboxRelay(db, {EMAIL: handler}, clock=clock, retry_forever=frozenset({EMAIL}))
    for _ in range(MAX_ATTEMPTS + 5):
        assert relay.run_once() == 0
        assert _only_row(db).status == PENDING
        clock.advance(timedelta(seconds=MAX_RETRY_SECONDS))
    assert relay.run_once() == 1
    row = _only_row(db)
    assert (row.status, row.attempts) == (SENT, MAX_ATTEMPTS + 6)


def test_retry_delay_doubles_from_thirty_seconds_and_is_capped_at_an_hour() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == [
        30,
        60,
        120,
        1920,
        3600,
        3600,
    ]


def test_message_recovers_after_a_failure_and_clears_the_error(db: Engine) -> None:
    _queue_emails(db)
    clock = FakeClock()
    handler = RecordingHandler(failures=1)
    relay = OutboxRelay(db, {EMAIL: handler}, clock=clock)

    relay.run_once()
    clock.advance(retry_delay(1))
    assert relay.run_once() == 1

    row = _only_row(db)
    assert (row.status, row.attempts, row.last_error) == (SENT, 2, "")
    assert handler.message_ids == [f"cc-outbox-{row.id}"] * 2, "same message id on every try"


def _crash(payload: dict[str, Any], message_id: str) -> None:
    raise SystemExit("relay process killed mid-delivery")


def test_message_of_a_crashed_relay_is_claimed_again_after_the_lease(db: Engine) -> None:
    _queue_emails(db)
    clock = FakeClock()
    with pytest.raises(SystemExit):
        OutboxRelay(db, {EMAIL: _crash}, clock=clock).run_once()
    assert _only_row(db).status == SENDING

    handler = RecordingHandler()
    survivor = OutboxRelay(db, {EMAIL: handler}, clock=clock)
    clock.advance(LEASE - timedelta(seconds=1))
    assert survivor.run_once() == 0, "claimed while the lease still runs"
    clock.advance(timedelta(seconds=2))
    assert survivor.run_once() == 1

    assert (_only_row(db).status, _only_row(db).attempts, len(handler.calls)) == (SENT, 2, 1)


def test_a_relay_whose_lease_was_taken_over_cannot_undo_the_newer_delivery(db: Engine) -> None:
    _queue_emails(db)
    clock = FakeClock()
    stale_relay_stuck, survivor_delivering = threading.Event(), threading.Event()

    def stalls_then_fails(payload: dict[str, Any], message_id: str) -> None:
        clock.advance(LEASE + timedelta(seconds=1))  # stuck so long that the lease ran out
        stale_relay_stuck.set()
        survivor_delivering.wait(timeout=5)
        raise TimeoutError("the stale relay finally gives up")

    stale = threading.Thread(
        target=OutboxRelay(db, {EMAIL: stalls_then_fails}, clock=clock).run_once
    )
    stale.start()
    assert stale_relay_stuck.wait(timeout=5)

    survivor_calls = []

    def delivers_while_the_stale_relay_finishes(payload: dict[str, Any], message_id: str) -> None:
        survivor_delivering.set()
        stale.join(timeout=5)  # the stale relay records its failure in the middle of ours
        survivor_calls.append(message_id)

    survivor = OutboxRelay(db, {EMAIL: delivers_while_the_stale_relay_finishes}, clock=clock)
    assert survivor.run_once() == 1
    clock.advance(timedelta(days=1))
    assert survivor.run_once() == 0

    row = _only_row(db)
    assert (row.status, row.attempts, row.last_error) == (SENT, 2, "")
    assert survivor_calls == [f"cc-outbox-{row.id}"]


def test_a_slow_batch_leaves_the_rest_for_the_next_claim(db: Engine) -> None:
    _queue_emails(db, count=2)
    clock = FakeClock()
    handler = RecordingHandler()

    def slow(payload: dict[str, Any], message_id: str) -> None:
        handler(payload, message_id)
        clock.advance(LEASE - LEASE_MARGIN + timedelta(seconds=1))

    relay = OutboxRelay(db, {EMAIL: slow}, clock=clock)
    assert relay.run_once() == 1
    assert [row.status for row in _rows(db)] == [SENT, SENDING]
    clock.advance(LEASE)
    assert relay.run_once() == 1

    assert sorted(handler.message_ids) == sorted(f"cc-outbox-{row.id}" for row in _rows(db))


def test_a_kind_without_handler_is_left_for_a_relay_that_has_one(db: Engine) -> None:
    with session_scope(db) as session:
        enqueue(session, ERP_COMPANY_ACTIVATED, {"customer_number": "1000"})
    relay = OutboxRelay(db, {EMAIL: RecordingHandler()}, clock=FakeClock())

    assert relay.run_once() == 0
    row = _only_row(db)
    assert (row.status, row.attempts) == (PENDING, 0)


class FakeErp:
    def __init__(self) -> None:
        self.notices: list[tuple[str, str, str]] = []

    def notify_company_activated(
        self, customer_number: str, main_contact_email: str, message_id: str
    ) -> None:
        self.notices.append((customer_number, main_contact_email, message_id))


def test_default_handlers_send_mail_to_the_dev_mailbox_and_erp_calls_to_the_erp(
    db: Engine,
) -> None:
    erp = FakeErp()
    settings = dataclasses.replace(get_settings(), smtp=None)
    extra = {ERP_COMPANY_ACTIVATED: erp_company_activated_handler(erp)}
    relay = OutboxRelay(db, default_handlers(settings, db, extra=extra), clock=FakeClock())
    with session_scope(db) as session:
        enqueue_email(session, to="anna@example.com", subject="Welcome", text="t", html="<p>h</p>")
        enqueue(
            session,
            ERP_COMPANY_ACTIVATED,
            {"customer_number": "1000", "main_contact_email": "anna@example.com"},
        )

    assert relay.run_once() == 2

    mail_row, erp_row = _rows(db)
    assert erp.notices == [("1000", "anna@example.com", f"cc-outbox-{erp_row.id}")]
    with Session(db) as session:
        [mail] = list_dev_mail(session)
    assert (mail.to_address, mail.subject, mail.html_body) == (
        "anna@example.com",
        "Welcome",
        "<p>h</p>",
    )


def _wait_until(condition: Any, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_run_forever_delivers_until_stopped(db: Engine) -> None:
    handler = RecordingHandler()
    relay = OutboxRelay(db, {EMAIL: handler})
    stop = threading.Event()
    worker = threading.Thread(target=relay.run_forever, args=(stop, 0.01))
    worker.start()
    try:
        _queue_emails(db, count=3)
        assert _wait_until(lambda: len(handler.calls) == 3)
    finally:
        stop.set()
        worker.join(timeout=5)
    assert not worker.is_alive()
    assert [row.status for row in _rows(db)] == [SENT] * 3


async def test_relay_loop_runs_deliveries_off_the_event_loop_thread(db: Engine) -> None:
    _queue_emails(db, count=2)
    handler = RecordingHandler()
    task = asyncio.create_task(relay_loop(OutboxRelay(db, {EMAIL: handler}), interval=0.01))
    try:
        for _ in range(500):
            if len(handler.calls) == 2:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert len(handler.calls) == 2
    assert threading.get_ident() not in handler.threads


def test_two_relays_on_postgresql_deliver_each_message_exactly_once(db: Engine) -> None:
    if db.dialect.name != "postgresql":
        pytest.skip("concurrent relays need PostgreSQL (CC_TEST_DATABASE_URL)")
    _queue_emails(db, count=200)
    lock = threading.Lock()
    delivered: list[tuple[str, str]] = []
    start = threading.Barrier(2)
    # Each relay's first delivery waits for the other's: both hold a claimed batch at once,
    # however the threads are scheduled (on a busy machine one could drain all 200 alone).
    both_claimed = threading.Barrier(2, timeout=30)

    def relay_named(name: str) -> OutboxRelay:
        def record(payload: dict[str, Any], message_id: str) -> None:
            with lock:
                first = all(relay != name for _, relay in delivered)
                delivered.append((message_id, name))
            if first:
                both_claimed.wait()

        return OutboxRelay(db, {EMAIL: record})

    def drain(relay: OutboxRelay) -> None:
        # Until every message is sent, not until one claim comes back empty: SKIP LOCKED may
        # hand a relay nothing while the other holds rows (the real loop then waits a beat).
        start.wait()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(r.status != SENT for r in _rows(db)):
            relay.run_once(batch=5)

    threads = [threading.Thread(target=drain, args=(relay_named(n),)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    message_ids = [message_id for message_id, _ in delivered]
    assert sorted(message_ids) == sorted(f"cc-outbox-{row.id}" for row in _rows(db))
    assert len(set(message_ids)) == 200
    assert {name for _, name in delivered} == {"a", "b"}, "both relays took part"
    assert {row.status for row in _rows(db)} == {SENT}
