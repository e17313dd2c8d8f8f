"""Sign-in sessions of the seller's staff: their own table and their own cookie.

Kept apart from the customers' sessions (``auth.sessions``) on purpose: a customer's cookie
never resolves a staff member and a staff member's cookie never resolves a customer user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from customer_center.auth.tokens import new_token, token_hash
from customer_center.domain.staff import ALL_STAFF_RIGHTS, StaffStatus
from customer_center.models.base import utcnow
from customer_center.models.staff import StaffMember, StaffSession

STAFF_COOKIE = "cc_staff"


@dataclass(frozen=True)
class LiveStaffSession:
    """A staff session that is valid now, and the active staff member it belongs to."""

    session_id: int
    staff_id: int
    rights: frozenset[str]
    language: str
    expires_at: datetime | None = None  # when it ends by itself


def open_staff_session(
    session: Session, member: StaffMember, *, days: int, ip_address: str = "", user_agent: str = ""
) -> str:
    """Create a session row for ``member``; returns the raw cookie value (shown only once)."""
    assert member.id is not None
    raw = new_token()
    session.add(
        StaffSession(
            token_hash=token_hash(raw),
            staff_id=member.id,
            expires_at=utcnow() + timedelta(days=days),
            ip_address=ip_address[:64],
            user_agent=user_agent[:300],
        )
    )
    return raw


def live_staff_session_of(session: Session, raw_token: str | None) -> LiveStaffSession | None:
    """The session behind a staff cookie with the member's rights, in one query; None if
    unknown, expired, revoked, or the member is not active."""
    if not raw_token:
        return None
    row = session.execute(
        sa_select(
            col(StaffSession.id),
            col(StaffMember.id),
            col(StaffMember.rights),
            col(StaffMember.language),
            col(StaffSession.expires_at),
        )
        .join(StaffMember, col(StaffMember.id) == StaffSession.staff_id)
        .where(
            col(StaffSession.token_hash) == token_hash(raw_token),
            col(StaffSession.revoked_at).is_(None),
            col(StaffSession.expires_at) > utcnow(),
            col(StaffMember.status) == StaffStatus.ACTIVE,
        )
    ).first()
    if row is None:
        return None
    session_id, staff_id, rights, language, expires_at = row
    assert session_id is not None and staff_id is not None
    known = frozenset(r for r in (rights or []) if r in ALL_STAFF_RIGHTS)
    ends = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
    return LiveStaffSession(session_id, staff_id, known, language, ends)


def revoke_staff_session(session: Session, raw_token: str) -> int | None:
    """End the session behind ``raw_token``; the staff id it belonged to, if it was live."""
    row = session.exec(
        select(StaffSession).where(StaffSession.token_hash == token_hash(raw_token))
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    row.revoked_at = utcnow()
    session.add(row)
    return row.staff_id


def revoke_all_staff_sessions(session: Session, staff_id: int, *, keep: int | None = None) -> int:
    """End every live session of the member (but ``keep``, the one changing a password)."""
    rows = session.exec(
        select(StaffSession).where(
            StaffSession.staff_id == staff_id,
            col(StaffSession.revoked_at).is_(None),
            StaffSession.id != (keep or 0),
        )
    ).all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
        session.add(row)
    return len(rows)
