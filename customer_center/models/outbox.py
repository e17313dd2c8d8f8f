"""The transactional outbox: work for the outside world, written with the change causing it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from customer_center.models.base import JsonColumn, utcnow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DEAD = "dead"


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    dedup_key: str | None = Field(default=None, max_length=200, unique=True)
    status: str = Field(default=PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_until: datetime | None = None
    last_error: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    # What the message is about (``order:<id>`` for the e-mails about an order), so the
    # seller's console can list the e-mails of an order; the relay never reads it.
    refers_to: str | None = Field(default=None, max_length=64, index=True)
