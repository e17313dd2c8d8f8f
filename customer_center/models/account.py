"""A user's own settings beyond the profile: e-mail choices, and how far they have read each
order's conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from customer_center.models.base import utcnow


class NotificationChoice(SQLModel, table=True):
    """One kind of e-mail a user turned off (or on again). No row: the user wants it."""

    __tablename__ = "notification_choice"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_choice"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    kind: str = Field(max_length=32)  # domain.notifications.NotificationKind
    wanted: bool = True
    changed_at: datetime = Field(default_factory=utcnow)


class ConversationRead(SQLModel, table=True):
    """How far a user has read an order's conversation: the last message event they saw."""

    __tablename__ = "conversation_read"
    __table_args__ = (UniqueConstraint("user_id", "order_id", name="uq_conversation_read"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    order_id: int = Field(foreign_key="customer_order.id")
    last_event_id: int = 0
    read_at: datetime = Field(default_factory=utcnow)
