"""The outbox relay killed (SIGKILL) in the middle of a batch, and relays racing for the
dead one's messages once its leases run out: no message lost, none delivered twice but the
one the dead relay had on the wire, and that one under the same Message-ID."""

from __future__ import annotations

import asyncio
import email
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from customer_center.models.outbox import SENDING, SENT, OutboxMessage
from customer_center.outbox.enqueue import enqueue_email
from tests.faults.conftest import migrated_database
from tests.faults.processes import kill, portal_env, start_relay
from tests.faults.servers import ThrowawayPostgres, free_port, wait_for

SMTP_DELAY_S = 0.1  # each delivery takes this long: a batch of 20 is on the wire for 2 s+
LEASE_S = 5  # a batch fits in a lease with room to spare
MESSAGES = 30
_ID = re.compile(r"<cc-outbox-(\d+)@")


class SlowInbox:
    """An SMTP server that takes its time with each message and keeps what it accepted."""

    def __init__(self) -> None:
        self.received: list[int] = []  # outbox ids, from the Message-ID header

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        await asyncio.sleep(SMTP_DELAY_S)
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        found = _ID.search(str(parsed["Message-ID"]))
        assert found, parsed["Message-ID"]
        self.received.append(int(found.group(1)))
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox() -> Iterator[tuple[SlowInbox, int]]:
    handler, port = SlowInbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _queue(engine: Engine, count: int) -> list[int]:
    with Session(engine) as session:
        for n in range(count):
            enqueue_email(
                session,
                to=f"buyer{n}@acme.example",
                subject=f"Order {n}",
                text="t",
                html="<p>t</p>",
            )
        session.commit()
        return list(session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)))  # type: ignore[arg-type]


def _count(engine: Engine, status: str) -> int:
    with engine.connect() as connection:
        query = (
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == status)
        )  # type: ignore[arg-type]
        return int(connection.execute(query).scalar_one())


def _claimed(engine: Engine) -> set[int]:
    with engine.connect() as connection:
        query = select(OutboxMessage.id).where(OutboxMessage.status == SENDING)  # type: ignore[arg-type]
        return set(connection.scalars(query))


def _relay_env(url: str, smtp_port: int) -> dict[str, str]:
    return portal_env(
        url,
        CC_SMTP_HOST="127.0.0.1",
        CC_SMTP_PORT=str(smtp_port),
        CC_SMTP_STARTTLS="0",
        CC_OUTBOX_LEASE_SECONDS=str(LEASE_S),
    )


def _kill_mid_batch(engine: Engine, inbox: SlowInbox, env: dict[str, str], log: Path) -> set[int]:
    """Start a relay, SIGKILL it once a few messages went out; returns what it had claimed
    and not finished (its batch)."""
    relay = start_relay(env, log)
    try:
        wait_for("the relay delivers", lambda: len(inbox.received) >= 3, 60)
    finally:
        kill(relay)
    claimed = _claimed(engine)
    assert claimed, "the relay was killed between batches, not in the middle of one"
    return claimed


def _assert_delivered_once(
    engine: Engine, inbox: SlowInbox, ids: list[int], in_flight: set[int], kills: int
) -> None:
    assert _count(engine, SENT) == len(ids)  # the database: every message done
    counts = Counter(inbox.received)
    assert set(counts) == set(ids)  # none lost
    repeated = {outbox_id for outbox_id, n in counts.items() if n > 1}
    # Only a message that was on the wire when its relay died may arrive again, under the
    # same Message-ID (so the recipient's side recognises it), and once per killed relay.
    assert repeated <= in_flight
    assert sum(n - 1 for n in counts.values()) <= kills


def test_a_relay_killed_mid_batch_leaves_nothing_lost_or_doubled(
    postgres: ThrowawayPostgres, inbox: tuple[SlowInbox, int], tmp_path: Path
) -> None:
    url, engine = migrated_database(postgres, "relay_kill")
    ids = _queue(engine, MESSAGES)
    handler, port = inbox
    env = _relay_env(url, port)

    in_flight = _kill_mid_batch(engine, handler, env, tmp_path / "relay.log")
    delivered_before = len(handler.received)
    assert delivered_before < MESSAGES

    restarted = start_relay(env, tmp_path / "relay.log")
    try:
        waited = wait_for("every message is sent", lambda: _count(engine, SENT) == MESSAGES, 120)
    finally:
        kill(restarted)

    _assert_delivered_once(engine, handler, ids, in_flight, kills=1)
    assert waited >= 0
    with engine.connect() as connection:  # the dead relay's batch was claimed a second time
        attempts = dict(connection.execute(select(OutboxMessage.id, OutboxMessage.attempts)).all())  # type: ignore[call-overload]
    assert all(attempts[i] >= 2 for i in in_flight)


def test_two_relays_racing_for_a_dead_relays_batch_deliver_each_message_once(
    postgres: ThrowawayPostgres, inbox: tuple[SlowInbox, int], tmp_path: Path
) -> None:
    url, engine = migrated_database(postgres, "relay_race")
    ids = _queue(engine, MESSAGES + 20)
    handler, port = inbox
    env = _relay_env(url, port)
    in_flight = _kill_mid_batch(engine, handler, env, tmp_path / "relay.log")

    relays: list[subprocess.Popen[bytes]] = [
        start_relay(env, tmp_path / f"relay-{n}.log") for n in range(2)
    ]
    try:
        wait_for("every message is sent", lambda: _count(engine, SENT) == len(ids), 120)
        assert all(relay.poll() is None for relay in relays)  # both were running throughout
    finally:
        for relay in relays:
            kill(relay)

    _assert_delivered_once(engine, handler, ids, in_flight, kills=1)
