"""Adding work to the outbox inside the caller's transaction (never committed here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from customer_center.models.outbox import OutboxMessage

EMAIL = "email"

_INSERT_BY_DIALECT: dict[str, Callable[[Any], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    dedup_key: str | None = None,
    refers_to: str | None = None,
) -> None:
    """Queue a message in the caller's transaction; it commits or rolls back with it.

    A second message with the same ``dedup_key`` is a no-op, also when two transactions race
    (``INSERT ... ON CONFLICT DO NOTHING``: the later one waits for the earlier to finish).
    """
    enqueue_all(session, [message(kind, payload, dedup_key, refers_to)])


def message(
    kind: str, payload: dict[str, Any], dedup_key: str | None = None, refers_to: str | None = None
) -> dict[str, Any]:
    """A message as ``enqueue_all`` takes it: the table's column defaults fill in the rest
    (pending, due now). A row, not an ``OutboxMessage``: a role's thousand approvers' e-mails
    are inserted in one statement, and building a model object per row cost more than it."""
    return {"kind": kind, "payload": payload, "dedup_key": dedup_key, "refers_to": refers_to}


def enqueue_all(session: Session, messages: list[dict[str, Any]]) -> None:
    """Queue several messages (``message``) as ``enqueue`` does, in one statement (an order
    waiting for a role's many members mails each of them)."""
    if not messages:
        return
    insert = _INSERT_BY_DIALECT[session.get_bind().dialect.name]
    session.execute(
        insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedup_key"]), messages
    )


def enqueue_email(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    dedup_key: str | None = None,
    refers_to: str | None = None,
) -> None:
    payload = {"to": to, "subject": subject, "text": text, "html": html}
    enqueue(session, EMAIL, payload, dedup_key, refers_to)
