"""Adding work to the outbox inside the caller's transaction (never committed here)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from customer_center.models.outbox import OutboxMessage

EMAIL = "email"


def enqueue(
    session: Session, kind: str, payload: dict[str, Any], dedup_key: str | None = None
) -> None:
    """Queue a message; a second message with the same ``dedup_key`` is a no-op."""
    if dedup_key is not None:
        exists = session.exec(
            select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)
        ).first()
        if exists is not None:
            return
    session.add(OutboxMessage(kind=kind, payload=payload, dedup_key=dedup_key))


def enqueue_email(
    session: Session, *, to: str, subject: str, text: str, html: str, dedup_key: str | None = None
) -> None:
    enqueue(
        session, EMAIL, {"to": to, "subject": subject, "text": text, "html": html}, dedup_key
    )
