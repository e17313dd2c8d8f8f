"""Sessions, single-use tokens and the attempts that rate limits count."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from customer_center.models.base import JsonColumn, utcnow


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the random cookie value is stored."""

    __tablename__ = "auth_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    ip_address: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)
    last_used_at: datetime | None = None  # updated at most once a minute (auth.sessions)


class OneTimeToken(SQLModel, table=True):
    """A link or ticket that works once before it expires (activation, reset, sign-in)."""

    __tablename__ = "one_time_token"

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=32)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JsonColumn))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class Attempt(SQLModel, table=True):
    """One try at a rate-limited action, keyed by what is limited (customer no., address)."""

    __table_args__ = (Index("ix_attempt_kind_key_created", "kind", "key", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    key: str = Field(max_length=300)
    succeeded: bool = False
    created_at: datetime = Field(default_factory=utcnow)
