"""Server-side sessions: opaque random ids in an HttpOnly cookie, stored hashed, revocable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select as sa_select
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

import customer_center.auth.revocation  # noqa: F401 - revoking a session announces it
from customer_center.auth.tokens import new_token, token_hash
from customer_center.domain.people import UserStatus
from customer_center.models.auth import AuthSession
from customer_center.models.base import utcnow
from customer_center.models.user import User

SESSION_COOKIE = "cc_session"
# How often a session's last use is written: at most once per this interval, so the per-event
# lookup stays a read almost always (the account page shows the time to the minute).
LAST_USE_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class LiveSession:
    """A sign-in session that is valid now, and the active user it belongs to."""

    session_id: int
    user_id: int
    company_id: int
    language: str
    expires_at: datetime | None = None  # when it ends by itself
    last_used_at: datetime | None = None  # as noted (:func:`note_use`)


def open_session(
    session: Session, user: User, *, days: int, ip_address: str = "", user_agent: str = ""
) -> str:
    """Create a session row for ``user`` and return the raw cookie value (shown only once)."""
    raw = new_token()
    assert user.id is not None
    session.add(
        AuthSession(
            token_hash=token_hash(raw),
            user_id=user.id,
            expires_at=utcnow() + timedelta(days=days),
            ip_address=ip_address[:64],
            user_agent=user_agent[:300],
        )
    )
    return raw


def live_session_of(session: Session, raw_token: str | None) -> LiveSession | None:
    """The session behind a cookie value, or None if unknown, expired, revoked or its user
    is deactivated (``auth.principals`` adds the user's rights)."""
    if not raw_token:
        return None
    row = session.execute(
        sa_select(
            col(AuthSession.id),
            col(User.id),
            col(User.company_id),
            col(User.language),
            col(AuthSession.last_used_at),
            col(AuthSession.expires_at),
        )
        .join(User, col(User.id) == col(AuthSession.user_id))
        .where(
            col(AuthSession.token_hash) == token_hash(raw_token),
            col(AuthSession.revoked_at).is_(None),
            col(AuthSession.expires_at) > utcnow(),
            col(User.status) == UserStatus.ACTIVE,
        )
    ).first()
    if row is None:
        return None
    session_id, user_id, company_id, language, last_used_at, expires_at = row
    assert session_id is not None and user_id is not None
    return LiveSession(session_id, user_id, company_id, language, _aware(expires_at), last_used_at)


def note_use(engine: Engine, session_id: int, last_used_at: datetime | None) -> None:
    """Remember when the session was last used, at most once per :data:`LAST_USE_EVERY`.

    In a short transaction of its own, after the one that found the session has ended: a
    write in that one would hold the row lock until it ends, and a second connection taken
    while it holds its own starves the pool when many sessions start at once (every thread
    holds one and waits for another). Bookkeeping only: a busy database skips it."""
    now = utcnow()
    if last_used_at is not None and now - _aware(last_used_at) < LAST_USE_EVERY:
        return
    try:
        with engine.begin() as connection:
            connection.execute(
                update(AuthSession)
                .where(col(AuthSession.id) == session_id)
                .values(last_used_at=now)
            )
    except OperationalError:
        return


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def revoke_session(session: Session, raw_token: str) -> bool:
    row = session.exec(
        select(AuthSession).where(AuthSession.token_hash == token_hash(raw_token))
    ).first()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    return True


def live_sessions(session: Session, user_id: int) -> list[AuthSession]:
    """The user's sessions that are neither revoked nor expired, most recently used first."""
    return list(
        session.exec(
            select(AuthSession)
            .where(
                AuthSession.user_id == user_id,
                col(AuthSession.revoked_at).is_(None),
                AuthSession.expires_at > utcnow(),
            )
            .order_by(
                col(AuthSession.last_used_at).desc().nulls_last(),
                col(AuthSession.created_at).desc(),
            )
        ).all()
    )


def revoke_all_sessions(session: Session, user_id: int, *, keep: int | None = None) -> int:
    """End every live session of the user but ``keep`` (a session id); returns how many."""
    rows = session.exec(
        select(AuthSession).where(
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),  # type: ignore[union-attr]
            AuthSession.id != (keep or 0),
        )
    ).all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    return len(rows)


def cookie_value_from_header(cookie_header: str, name: str = SESSION_COOKIE) -> str | None:
    """Read one of our cookies (the session's by default) out of a raw ``Cookie`` header."""
    from http.cookies import CookieError, SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None
