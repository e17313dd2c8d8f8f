"""Attempt counting kept in the database, so limits hold across restarts and workers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from customer_center.models.auth import Attempt
from customer_center.models.base import utcnow


@dataclass(frozen=True)
class Limit:
    kind: str
    max_failures: int
    window: timedelta


def failures_since(session: Session, kind: str, key: str, since: datetime) -> list[datetime]:
    """Times of failed attempts for (kind, key) after ``since`` and after the last success."""
    last_success = session.exec(
        select(func.max(Attempt.created_at)).where(
            Attempt.kind == kind,
            Attempt.key == key,
            Attempt.succeeded.is_(True),  # type: ignore[attr-defined]
        )
    ).one()
    start = max(since, last_success) if last_success else since
    rows = session.exec(
        select(Attempt.created_at)
        .where(
            Attempt.kind == kind,
            Attempt.key == key,
            Attempt.succeeded.is_(False),  # type: ignore[attr-defined]
            Attempt.created_at > start,
        )
        .order_by(Attempt.created_at)  # type: ignore[arg-type]
    ).all()
    return list(rows)


def minutes_blocked(session: Session, limit: Limit, keys: list[str], now: datetime) -> int:
    """Minutes until another attempt is allowed (0: allowed now) under a fixed window."""
    wait = timedelta(0)
    for key in keys:
        failures = failures_since(session, limit.kind, key, now - limit.window)
        if len(failures) >= limit.max_failures:
            oldest_counted = failures[-limit.max_failures]
            wait = max(wait, oldest_counted + limit.window - now)
    return _whole_minutes(wait)


def progressive_lock_minutes(
    session: Session, limit: Limit, key: str, now: datetime, cap_minutes: int = 60
) -> int:
    """Lockout that doubles with every failure past the limit: 1, 2, 4 ... minutes."""
    failures = failures_since(session, limit.kind, key, now - limit.window)
    excess = len(failures) - limit.max_failures
    if excess < 0:
        return 0
    locked_until = failures[-1] + timedelta(minutes=min(2**excess, cap_minutes))
    return _whole_minutes(locked_until - now)


def record_attempt(session: Session, kind: str, keys: list[str], succeeded: bool) -> None:
    now = utcnow()
    for key in keys:
        session.add(Attempt(kind=kind, key=key[:300], succeeded=succeeded, created_at=now))


def _whole_minutes(delta: timedelta) -> int:
    seconds = delta.total_seconds()
    return 0 if seconds <= 0 else max(1, math.ceil(seconds / 60))
