"""Helpers shared by all tables: the clock and JSON columns."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON


def utcnow() -> datetime:
    """Now, timezone-aware in UTC: SQLModel's timestamp columns store and return UTC."""
    return datetime.now(UTC)


JsonColumn = JSON
