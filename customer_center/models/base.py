"""Helpers shared by all tables: the clock and JSON columns."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON


def utcnow() -> datetime:
    """Now in UTC, without tzinfo: every timestamp column stores naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


JsonColumn = JSON
