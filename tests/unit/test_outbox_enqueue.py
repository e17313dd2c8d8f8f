"""Enqueueing happens in the caller's transaction: committed with it, or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from customer_center.db import session_scope
from customer_center.models.outbox import PENDING, OutboxMessage
from customer_center.outbox.enqueue import EMAIL, enqueue, enqueue_email


def _rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def test_email_is_stored_pending_when_the_transaction_commits(db: Engine) -> None:
    with session_scope(db) as session:
        enqueue_email(session, to="a@example.com", subject="Hi", text="plain", html="<p>x</p>")

    [row] = _rows(db)
    assert (row.kind, row.status, row.attempts) == (EMAIL, PENDING, 0)
    assert row.payload == {
        "to": "a@example.com",
        "subject": "Hi",
        "text": "plain",
        "html": "<p>x</p>",
    }


def test_nothing_is_queued_when_the_transaction_rolls_back(db: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(db) as session:
        enqueue_email(session, to="a@example.com", subject="Hi", text="t", html="h")
        raise RuntimeError("the change failed")

    assert _rows(db) == []


def test_same_dedup_key_in_one_transaction_is_queued_once(db: Engine) -> None:
    with session_scope(db) as session:
        enqueue(session, "erp.company_activated", {"n": 1}, dedup_key="activated:1000")
        enqueue(session, "erp.company_activated", {"n": 2}, dedup_key="activated:1000")

    assert [row.payload for row in _rows(db)] == [{"n": 1}]


def test_same_dedup_key_in_a_later_transaction_is_a_no_op(db: Engine) -> None:
    with session_scope(db) as session:
        enqueue(session, "erp.company_activated", {"n": 1}, dedup_key="activated:1000")
    with session_scope(db) as session:
        enqueue(session, "erp.company_activated", {"n": 2}, dedup_key="activated:1000")
        enqueue(session, "erp.company_activated", {"n": 3}, dedup_key="activated:2000")

    assert [row.payload for row in _rows(db)] == [{"n": 1}, {"n": 3}]


def test_messages_without_dedup_key_are_all_queued(db: Engine) -> None:
    with session_scope(db) as session:
        enqueue(session, "email", {"n": 1})
        enqueue(session, "email", {"n": 1})

    assert len(_rows(db)) == 2
