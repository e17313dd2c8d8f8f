"""The relay delivers through a real SMTP server (aiosmtpd) and survives the server being down."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage as MimeMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from customer_center.db import session_scope
from customer_center.integrations.mail.smtp import SmtpMailer
from customer_center.models.base import utcnow
from customer_center.models.outbox import PENDING, SENT, OutboxMessage
from customer_center.outbox.enqueue import EMAIL, enqueue_email
from customer_center.outbox.handlers import email_handler
from customer_center.outbox.relay import OutboxRelay, retry_delay
from customer_center.settings import SmtpSettings

SENDER = "Customer Center <no-reply@portal.test>"


class Inbox:
    """aiosmtpd handler keeping every received message."""

    def __init__(self) -> None:
        self.messages: list[MimeMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class Clock:
    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def port() -> int:
    return _free_port()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def relay(db: Engine, port: int, clock: Clock) -> OutboxRelay:
    settings = SmtpSettings("127.0.0.1", port, "", "", starttls=False, use_ssl=False)
    handler = email_handler(SmtpMailer(settings, timeout=5), SENDER)
    return OutboxRelay(db, {EMAIL: handler}, clock=clock)


def _start_smtp_server(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


@pytest.fixture
def smtp_server(port: int) -> Iterator[Inbox]:
    controller, inbox = _start_smtp_server(port)
    yield inbox
    controller.stop()


def _queue_welcome(engine: Engine) -> None:
    with session_scope(engine) as session:
        enqueue_email(
            session,
            to="anna@example.com",
            subject="Willkommen im Kundenportal",
            text="Hallo Anna, Ihr Zugang ist bereit.",
            html="<p>Hallo Anna, Ihr <b>Zugang</b> ist bereit.</p>",
        )


def _only_row(engine: Engine) -> OutboxMessage:
    with Session(engine) as session:
        return session.exec(select(OutboxMessage)).one()


def test_relay_delivers_a_multipart_message_over_smtp(
    db: Engine, relay: OutboxRelay, smtp_server: Inbox
) -> None:
    _queue_welcome(db)

    assert relay.run_once() == 1
    assert relay.run_once() == 0

    [message] = smtp_server.messages
    row = _only_row(db)
    assert row.status == SENT
    assert message["Subject"] == "Willkommen im Kundenportal"
    assert message["To"] == "anna@example.com"
    assert message["Message-ID"] == f"<cc-outbox-{row.id}@customer-center>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert text.get_content().strip() == "Hallo Anna, Ihr Zugang ist bereit."
    assert html.get_content().strip() == "<p>Hallo Anna, Ihr <b>Zugang</b> ist bereit.</p>"


def test_message_waits_while_the_server_is_down_and_is_delivered_once_later(
    db: Engine, relay: OutboxRelay, port: int, clock: Clock
) -> None:
    _queue_welcome(db)

    assert relay.run_once() == 0
    row = _only_row(db)
    assert (row.status, row.attempts) == (PENDING, 1)
    assert "SMTP delivery failed" in row.last_error

    controller, inbox = _start_smtp_server(port)
    try:
        assert relay.run_once() == 0, "retried before the backoff ran out"
        clock.now += retry_delay(1)
        assert relay.run_once() == 1
        clock.now += timedelta(hours=2)
        assert relay.run_once() == 0
    finally:
        controller.stop()

    assert len(inbox.messages) == 1
    row = _only_row(db)
    assert (row.status, row.attempts) == (SENT, 2)
    assert inbox.messages[0]["Message-ID"] == f"<cc-outbox-{row.id}@customer-center>"
