"""Server-side sessions: opaque random ids in an HttpOnly cookie, stored hashed, revocable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from customer_center.auth.tokens import new_token, token_hash
from customer_center.domain.people import UserStatus
from customer_center.models.auth import AuthSession
from customer_center.models.base import utcnow
from customer_center.models.user import User

SESSION_COOKIE = "cc_session"


@dataclass(frozen=True)
class LiveSession:
    """A sign-in session that is valid now, and the active user it belongs to."""

    session_id: int
    user_id: int
    company_id: int
    language: str


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
    row = session.exec(
        select(AuthSession.id, User.id, User.company_id, User.language)
        .join(User, User.id == AuthSession.user_id)  # type: ignore[arg-type]
        .where(
            AuthSession.token_hash == token_hash(raw_token),
            AuthSession.revoked_at.is_(None),  # type: ignore[union-attr]
            AuthSession.expires_at > utcnow(),
            User.status == UserStatus.ACTIVE,
        )
    ).first()
    if row is None:
        return None
    session_id, user_id, company_id, language = row
    assert session_id is not None and user_id is not None
    return LiveSession(session_id, user_id, company_id, language)


def revoke_session(session: Session, raw_token: str) -> bool:
    row = session.exec(
        select(AuthSession).where(AuthSession.token_hash == token_hash(raw_token))
    ).first()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    return True


def revoke_all_sessions(session: Session, user_id: int) -> int:
    rows = session.exec(
        select(AuthSession).where(
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),  # type: ignore[union-attr]
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
